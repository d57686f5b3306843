"""Who is making an admin request: a Shopify session token, or the demo's development login."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Request, Response, url_for
from shopify_app import IdTokenDetails, Res, verify_app_home_req

from lumen.auth import devlogin
from lumen.auth.shopify_io import app_config, request_input, to_response
from lumen.shopify.domains import is_shop_domain

logger = logging.getLogger(__name__)



class AdminAuthRejected(Exception):
    """The request did not prove which shop it comes from; send `response` instead."""

    def __init__(self, response: Response):
        super().__init__(f"admin request rejected with HTTP {response.status_code}")
        self.response = response


@dataclass(frozen=True)
class VerifiedAdmin:
    """A verified admin request: the shop, and the session token that proved it (if any)."""

    shop_domain: str
    id_token: IdTokenDetails | None = None
    invalid_token_response: Res | None = None

    @property
    def embedded(self) -> bool:
        """True inside Shopify (session token); False for the demo's development login."""
        return self.id_token is not None


def authenticate(request: Request) -> VerifiedAdmin:
    """Verify the session token (or demo login); raise AdminAuthRejected if there is none."""
    demo_shop = devlogin.shop_from_cookie(request)
    if demo_shop:
        return VerifiedAdmin(demo_shop)
    result = verify_app_home_req(request_input(request), app_config(),
                                 url_for("auth.patch_id_token"))
    if not result.ok or result.id_token is None:
        logger.info("admin request rejected: %s", result.log.code)
        raise AdminAuthRejected(to_response(result.response))
    domain = shop_domain_from_claims(result.id_token.claims)
    if domain is None:
        logger.warning("session token with a malformed dest claim")
        raise AdminAuthRejected(Response("Unauthorized", status=401))
    return VerifiedAdmin(domain, result.id_token, result.invalid_token_response)


def shop_domain_from_claims(claims: dict) -> str | None:
    """The myshopify domain in a session token's `dest` claim, or None if it is not one."""
    host = urlsplit(str(claims.get("dest", ""))).hostname or ""
    return host if is_shop_domain(host) else None
