"""AdminClient: the one place Lumen calls Shopify's Admin GraphQL API.

Shopify's own `shopifyapp` package sends each request (`admin_graphql_request`, with its
retries switched off); this module owns the retry loop so that throttling waits follow the
cost data Shopify returns rather than fixed sleeps, and every wait is bounded.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from shopify_app import admin_graphql_request
from shopify_app.types import GQLResult, Res

from lumen.shopify.api_version import API_VERSION
from lumen.shopify.domains import is_shop_domain, shop_handle
from lumen.shopify.errors import (
    ShopifyAuthError,
    ShopifyError,
    ShopifyQueryError,
    ShopifyThrottled,
    ShopifyUnavailable,
)
from lumen.shopify.queries import (
    ORDER_CANDIDATES,
    ORDER_FOLLOW_UP,
    ORDER_LOOKUP,
    order_is_complete,
    order_name_search,
)

logger = logging.getLogger(__name__)

THROTTLE_JITTER = 0.10
BACKOFF_BASE = 0.5
BACKOFF_CAP = 4.0
BACKOFF_JITTER = 0.25
DEFAULT_RETRY_AFTER = 1.0
# Statuses that mean the shop itself cannot be served (frozen, missing, locked): no retry helps.
_SHOP_GONE_STATUSES = frozenset({402, 404, 423})


@dataclass(frozen=True)
class _Retry:
    """A transient failure and how long to wait before the next attempt."""

    throttled: bool
    delay: float
    detail: str


class RebaseTransport(httpx.BaseTransport):
    """Sends requests addressed to https://{shop}.myshopify.com to another base URL instead."""

    def __init__(self, base_url: str, inner: httpx.BaseTransport):
        self._base = httpx.URL(base_url)
        self._prefix = self._base.path.rstrip("/")
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Move the request onto the base URL, keeping its path under the base path."""
        request.url = self._base.copy_with(
            path=self._prefix + request.url.path, query=request.url.query or None
        )
        request.headers["Host"] = self._base.netloc.decode("ascii")
        return self._inner.handle_request(request)

    def close(self) -> None:
        """Close the wrapped transport."""
        self._inner.close()


class AdminClient:
    """Cost- and throttle-aware Admin GraphQL client for one shop (not thread-safe).

    Use it as a context manager to reuse one connection across calls; otherwise each call
    opens and closes its own. A passed-in transport is closed with it, which for httpx
    transports only drops pooled connections: the transport still serves later calls.
    """

    def __init__(
        self,
        shop_domain: str,
        access_token: str,
        *,
        base_url: str | None = None,
        api_version: str = API_VERSION,
        timeout: float = 5.0,
        max_attempts: int = 4,
        retry_budget: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        transport: httpx.BaseTransport | None = None,
    ):
        if not is_shop_domain(shop_domain):
            raise ValueError("expected a shop domain of the form NAME.myshopify.com")
        if max_attempts < 1 or timeout <= 0:
            raise ValueError("max_attempts must be at least 1 and timeout positive")
        self.shop_domain = shop_domain
        self.base_url = base_url
        self.api_version = api_version
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.retry_budget = retry_budget
        self.last_cost: dict[str, Any] | None = None
        # Every cost extension Shopify sent this client, oldest first (benchmarks sum them).
        self.costs: list[dict[str, Any]] = []
        self._token = access_token
        self._sleep = sleep
        self._clock = clock
        self._transport = transport
        self._http: httpx.Client | None = None

    def __enter__(self) -> AdminClient:
        if self._http is None:
            self._http = self._make_http()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection opened by `with AdminClient(...)`."""
        if self._http is not None:
            self._http.close()
            self._http = None

    def execute(self, document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one GraphQL document and return its `data`; raise a ShopifyError on failure."""
        if not self._token:
            raise ShopifyAuthError(f"no access token for {self.shop_domain}: reinstall the app")
        deadline = self._clock() + self.retry_budget
        with self._session() as http:
            for attempt in range(1, self.max_attempts + 1):
                outcome = self._attempt(http, document, variables, attempt)
                if not isinstance(outcome, _Retry):
                    return outcome
                if attempt == self.max_attempts or self._clock() + outcome.delay > deadline:
                    break
                logger.warning(
                    "Shopify %s for %s (attempt %d of %d); retrying in %.2fs",
                    outcome.detail, self.shop_domain, attempt, self.max_attempts, outcome.delay,
                )
                self._sleep(outcome.delay)
        raise _give_up(outcome, attempt)

    def find_order_by_name(self, name: str) -> dict[str, Any] | None:
        """Return the order named exactly `name` (e.g. "#1042"), or None; ValueError if unsafe."""
        with self._session():
            order_id = self.find_order_id(name)
            return None if order_id is None else self.read_order(order_id, name)

    def find_order_id(self, name: str) -> str | None:
        """The id of the order named exactly `name`, or None; ValueError if `name` is unsafe."""
        candidates = self.execute(ORDER_CANDIDATES, {"query": order_name_search(name)})
        return exact_name_match(candidates["orders"]["nodes"], name)

    def read_order(self, order_id: str, name: str) -> dict[str, Any] | None:
        """The order with id `order_id` while it is still named `name`, else None: one small
        query, and the full one only when the order is too large for the small one's pages."""
        with self._session():
            order = self.execute(ORDER_FOLLOW_UP, {"id": order_id})["order"]
            if order is not None and not order_is_complete(order):
                order = self.execute(ORDER_LOOKUP, {"id": order_id})["order"]
        # Re-checked because an order can be renamed or deleted since its id was found.
        if order is None or order.get("name", "").casefold() != name.casefold():
            return None
        return order

    @contextmanager
    def _session(self) -> Iterator[httpx.Client]:
        """Reuse the open HTTP client, or open one for the duration of the block."""
        if self._http is not None:
            yield self._http
            return
        with self._make_http() as http:
            self._http = http
            try:
                yield http
            finally:
                self._http = None

    def _make_http(self) -> httpx.Client:
        transport = self._transport
        if self.base_url:
            transport = RebaseTransport(self.base_url, transport or httpx.HTTPTransport())
        return httpx.Client(timeout=httpx.Timeout(self.timeout), transport=transport)

    def _attempt(
        self, http: httpx.Client, document: str, variables: dict[str, Any] | None, attempt: int
    ) -> dict[str, Any] | _Retry:
        """Send the document once; return its data or how to retry, or raise if hopeless."""
        result = admin_graphql_request(
            document,
            shop=shop_handle(self.shop_domain),
            access_token=self._token,
            api_version=self.api_version,
            variables=variables,
            max_retries=0,
            http_client=http,
        )
        raw = _raw_response(result)
        body = _json_object(raw.body)
        self._record_cost(result.extensions or body.get("extensions"))
        if result.ok and isinstance(result.data, dict):
            return result.data
        if result.ok:
            return _Retry(False, _backoff(attempt), "answer without data")
        return self._classify_failure(result, raw, body, attempt)

    def _classify_failure(self, result: GQLResult, raw: Res, body: dict, attempt: int) -> _Retry:
        """Turn a failed attempt into a retry plan, or raise when retrying cannot help."""
        errors = body.get("errors") if isinstance(body.get("errors"), list) else []
        codes = _error_codes(errors)
        if "THROTTLED" in codes or raw.status == 429:
            return _Retry(True, _throttle_delay(body, raw.headers), "throttled")
        if result.log.code == "network_error":
            return _Retry(False, _backoff(attempt), "network error or timeout")
        if raw.status >= 500:
            return _Retry(False, _backoff(attempt), f"HTTP {raw.status}")
        raise _fatal_error(raw.status, errors, codes)

    def _record_cost(self, extensions: Any) -> None:
        cost = extensions.get("cost") if isinstance(extensions, dict) else None
        if isinstance(cost, dict):
            self.last_cost = cost
            self.costs.append(cost)


def exact_name_match(candidates: list[dict[str, Any]], name: str) -> str | None:
    """Pick the id of the candidate named exactly `name`, preferring the same letter case."""
    same_case = [node["id"] for node in candidates if node.get("name") == name]
    any_case = [
        node["id"] for node in candidates if str(node.get("name", "")).casefold() == name.casefold()
    ]
    matches = same_case or any_case
    return matches[0] if matches else None


def _raw_response(result: GQLResult) -> Res:
    # shopifyapp replaces the response of a final 429/5xx with a stub (no headers, no body);
    # the real one is kept in its HTTP log.
    return result.http_logs[-1].res if result.http_logs else result.response


def _json_object(text: str) -> dict[str, Any]:
    try:
        parsed = json.loads(text) if text else {}
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _error_codes(errors: list[Any]) -> tuple[str, ...]:
    extensions = (error.get("extensions") for error in errors if isinstance(error, dict))
    return tuple(str(ext.get("code")) for ext in extensions if isinstance(ext, dict))


def _throttle_delay(body: dict[str, Any], headers: dict[str, str]) -> float:
    """Seconds until the bucket holds the requested cost: (requested - available) / rate."""
    cost = (body.get("extensions") or {}).get("cost") or {}
    bucket = cost.get("throttleStatus") or {}
    requested = cost.get("requestedQueryCost")
    available = bucket.get("currentlyAvailable")
    rate = bucket.get("restoreRate")
    if _all_numbers(requested, available, rate) and rate > 0:
        # At least one point: Shopify said no, so the bucket is short even if it looks full.
        base = max(requested - available, 1.0) / rate
    else:
        base = _retry_after(headers)
    # Jitter only lengthens the wait, so a retry never comes before the bucket can hold it.
    return base * (1 + random.uniform(0, THROTTLE_JITTER))


def _retry_after(headers: dict[str, str]) -> float:
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    try:
        return max(float(value), 0.0) if value is not None else DEFAULT_RETRY_AFTER
    except ValueError:
        return DEFAULT_RETRY_AFTER


def _backoff(attempt: int) -> float:
    base = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempt - 1))
    return base * (1 + random.uniform(0, BACKOFF_JITTER))


def _all_numbers(*values: Any) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def _fatal_error(status: int, errors: list[Any], codes: tuple[str, ...]) -> ShopifyError:
    if status in (401, 403) or "ACCESS_DENIED" in codes:
        return ShopifyAuthError(f"Shopify refused the access token (HTTP {status}, {codes})")
    if status in _SHOP_GONE_STATUSES:
        return ShopifyUnavailable(f"the shop cannot be served (HTTP {status})")
    if errors:
        messages = "; ".join(str(e.get("message", e)) for e in errors if isinstance(e, dict))
        return ShopifyQueryError(f"GraphQL errors: {messages[:500]}", codes)
    return ShopifyQueryError(f"Shopify rejected the request (HTTP {status})")


def _give_up(retry: _Retry, attempts: int) -> ShopifyError:
    if retry.throttled:
        return ShopifyThrottled(
            f"Shopify still throttled after {attempts} attempt(s)", retry_after=retry.delay
        )
    return ShopifyUnavailable(f"Shopify unavailable after {attempts} attempt(s): {retry.detail}")
