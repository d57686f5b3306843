"""Exceptions raised by the Shopify Admin client; callers catch ShopifyError."""

from __future__ import annotations


class ShopifyError(Exception):
    """Base class: Shopify could not answer the request."""


class ShopifyAuthError(ShopifyError):
    """The access token was revoked or lacks a scope (401, 403 or ACCESS_DENIED); never retried."""


class ShopifyThrottled(ShopifyError):
    """Shopify kept throttling until the retry budget ran out."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class ShopifyUnavailable(ShopifyError):
    """5xx responses, network errors or timeouts outlasted the bounded retries."""


class ShopifyQueryError(ShopifyError):
    """Shopify rejected the document (GraphQL errors other than THROTTLED, or a 4xx)."""

    def __init__(self, message: str, codes: tuple[str, ...] = ()):
        super().__init__(message)
        self.codes = codes
