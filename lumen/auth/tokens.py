"""Shopify access tokens: the one module that obtains, refreshes and forgets them.

Install is managed by Shopify; on the first load of the embedded admin the session token is
exchanged for an expiring offline token (one hour, with a 90-day refresh token). Tokens are
refreshed before they expire under a per-shop Redis lock, so however many web and worker
processes notice at once, Shopify sees one refresh. A 401 from the Admin API means the token was
revoked: the shop is marked uninstalled. `admin_client_for(shop)` is how every caller gets a
client.

Token writes commit in their own transaction (a fresh app context, so a fresh database session)
while the lock is held: the next process to take the lock must read the new refresh token, and
Shopify has already rotated it whatever the caller later does with its own session.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import httpx
from flask import current_app
from redis.exceptions import LockError
from shopify_app import TokenExchangeAccessToken, TokenExchangeResult, refresh_access_token
from shopify_app import token_exchange as shopify_token_exchange

from lumen.auth.admin_auth import VerifiedAdmin
from lumen.auth.shopify_io import app_config
from lumen.extensions import db
from lumen.models import Shop, utcnow
from lumen.privacy import forget_installation
from lumen.queue import get_redis
from lumen.shopify import AdminClient, RebaseTransport, ShopifyAuthError, ShopifyUnavailable
from lumen.shopify.domains import shop_handle
from lumen.shops import default_settings, shop_for_domain

logger = logging.getLogger(__name__)

# Refresh this long before expiry, so a request never starts with a token about to lapse.
REFRESH_MARGIN = timedelta(minutes=5)
# A lock holder that dies frees the lock after this; waiters give up after LOCK_WAIT_SECONDS.
LOCK_TIMEOUT_SECONDS = 30
LOCK_WAIT_SECONDS = 15
# Tests (and only tests) put an httpx transport here to reach an in-process development store.
TRANSPORT_EXTENSION = "lumen.shopify_transport"
_REVOKED_CODES = frozenset({"invalid_grant", "refresh_token_expired"})


class InvalidSessionToken(ShopifyAuthError):
    """Shopify refused to exchange the session token; the browser must fetch a fresh one."""


@dataclass(frozen=True)
class Grant:
    """What Shopify's token endpoint issued for one shop."""

    access_token: str
    access_token_expires_at: datetime | None
    refresh_token: str | None
    refresh_token_expires_at: datetime | None
    scopes: str

    @classmethod
    def from_shopify(cls, token: TokenExchangeAccessToken) -> Grant:
        """Read a `shopify_app` access token (ISO 8601 expiry strings)."""
        return cls(token.token, _parse_time(token.expires), token.refresh_token,
                   _parse_time(token.refresh_token_expires), token.scope or "")


def install(session: VerifiedAdmin) -> tuple[Shop, bool]:
    """The session's shop, holding a live expiring offline token (token exchange if it has none),
    and whether this request had to install it (the caller then finishes the installation).

    Reinstalling upserts the shop row; the development login never exchanges anything.
    """
    shop = shop_for_domain(session.shop_domain)
    if shop is not None and _ready_for(shop, session):
        return shop, False
    if not session.embedded:
        raise ShopifyAuthError(f"{session.shop_domain} is not installed")
    with _shop_lock(session.shop_domain), _own_transaction():
        current = shop_for_domain(session.shop_domain)
        if current is None or not holds_live_token(current):
            _record_installation(session.shop_domain, _exchange(session))
    return _reload(shop) or shop_for_domain(session.shop_domain), True


def admin_client_for(shop: Shop) -> AdminClient:
    """An Admin API client for an installed shop, its token refreshed first when due."""
    if not shop.is_installed:
        raise ShopifyAuthError(f"{shop.domain} is not installed")
    token = ensure_fresh_token(shop)
    config = current_app.config
    return ShopAdminClient(shop.id, shop.domain, token,
                           base_url=config.get("LUMEN_SHOPIFY_ADMIN_URL"),
                           api_version=config["SHOPIFY_API_VERSION"],
                           timeout=config["LUMEN_SHOPIFY_TIMEOUT"])


def ensure_fresh_token(shop: Shop) -> str:
    """The shop's access token, refreshed first if it expires within REFRESH_MARGIN (one
    refresh across all processes). Works on a shop detached from its session too."""
    if not _expires_soon(shop):
        return shop.access_token
    try:
        with _shop_lock(shop.domain), _own_transaction():
            current = db.session.get(Shop, shop.id)
            live = _refresh_if_still_due(current)
            token = current.access_token if live else None
    except ShopifyUnavailable:
        if shop.access_token_expires_at > utcnow():
            logger.warning("token refresh for %s failed; its token is still valid", shop.domain)
            return shop.access_token
        raise
    _reload(shop)
    if not live:
        raise ShopifyAuthError(f"Shopify revoked {shop.domain}'s refresh token")
    return token


def record_revocation(shop_id: int, domain: str, revoked_token: str) -> None:
    """Shopify answered 401 to this token: unless it was since rotated, uninstall the shop."""
    with _shop_lock(domain), _own_transaction():
        shop = db.session.get(Shop, shop_id)
        if shop is not None and shop.is_installed and shop.access_token == revoked_token:
            logger.warning("Shopify revoked %s's access token; marking it uninstalled", domain)
            forget_installation(shop)


def holds_live_token(shop: Shop) -> bool:
    """Installed with an expiring token whose refresh token is still good."""
    if not shop.is_installed or shop.refresh_token is None:
        return False
    expires = shop.refresh_token_expires_at
    return expires is None or expires > utcnow() + REFRESH_MARGIN


class ShopAdminClient(AdminClient):
    """An AdminClient for one installed shop that uninstalls it when Shopify revokes its token."""

    def __init__(self, shop_id: int, domain: str, access_token: str, **options: Any):
        self._watch = _WatchedTransport(shopify_transport())
        super().__init__(domain, access_token, transport=self._watch, **options)
        self.shop_id = shop_id
        self._issued_token = access_token

    def execute(self, document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run a document (see AdminClient.execute); a 401 uninstalls the shop before raising."""
        self._watch.unauthorized = False
        try:
            return super().execute(document, variables)
        except ShopifyAuthError:
            # 403 and ACCESS_DENIED mean a missing scope, not a revoked token: only 401 counts.
            if self._watch.unauthorized:
                record_revocation(self.shop_id, self.shop_domain, self._issued_token)
            raise


def shopify_transport() -> httpx.BaseTransport:
    """The transport to Shopify: the process's keep-alive pool (or a test's transport)."""
    return current_app.extensions.get(TRANSPORT_EXTENSION) or _keep_alive_pool()


@cache
def _keep_alive_pool() -> httpx.BaseTransport:
    # One pool per process: a new one per call would build a TLS context (tens of milliseconds)
    # and open a new connection to Shopify for every request.
    return httpx.HTTPTransport()


class _WatchedTransport(httpx.BaseTransport):
    """Sends requests through a shared transport, noting a 401; closing it keeps that open.

    Clients close their transport after each call, but the shared pool outlives them.
    """

    def __init__(self, shared: httpx.BaseTransport):
        self._shared = shared
        self.unauthorized = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send the request and note a 401."""
        response = self._shared.handle_request(request)
        self.unauthorized = self.unauthorized or response.status_code == 401
        return response

    def close(self) -> None:
        """Leave the shared transport open for the next client."""


def _ready_for(shop: Shop, session: VerifiedAdmin) -> bool:
    # The demo's shop holds a plain development token; real shops need a live expiring one.
    return holds_live_token(shop) if session.embedded else shop.is_installed


def _exchange(session: VerifiedAdmin) -> Grant:
    with _token_endpoint_client() as http:
        result = shopify_token_exchange("offline", app_config(), id_token=session.id_token,
                                        invalid_token_response=session.invalid_token_response,
                                        expiring=True, http_client=http)
    if result.ok and result.access_token is not None:
        return Grant.from_shopify(result.access_token)
    raise _exchange_error(result, session.shop_domain)


def _exchange_error(result: TokenExchangeResult, domain: str) -> Exception:
    code = result.log.code
    if code == "invalid_subject_token":
        return InvalidSessionToken(f"Shopify refused the session token for {domain}")
    if code == "invalid_client":
        return ShopifyAuthError("Shopify refused the app's credentials: check SHOPIFY_API_KEY "
                                "and SHOPIFY_API_SECRET")
    return ShopifyUnavailable(f"token exchange for {domain} failed: {code}")


def _refresh_if_still_due(shop: Shop | None) -> bool:
    """Refresh unless another process already did; False when Shopify revoked the grant."""
    if shop is None or not shop.is_installed:
        return False
    if not _expires_soon(shop):
        return True
    # `expires` is left out on purpose: Lumen decides when to refresh (REFRESH_MARGIN), and
    # shopify_app would otherwise skip any token with more than 60 seconds left.
    token = {"shop": shop_handle(shop.domain), "access_mode": "offline",
             "refresh_token": shop.refresh_token, "expires": None,
             "refresh_token_expires": _format_time(shop.refresh_token_expires_at)}
    with _token_endpoint_client() as http:
        result = refresh_access_token(token, app_config(), http_client=http)
    if result.ok and result.access_token is not None:
        _store_grant(shop, Grant.from_shopify(result.access_token))
        return True
    if result.log.code in _REVOKED_CODES:
        return _revoked_unless_rotated(shop, token["refresh_token"])
    raise ShopifyUnavailable(f"token refresh for {shop.domain} failed: {result.log.code}")


def _revoked_unless_rotated(shop: Shop, used_refresh_token: str) -> bool:
    """Shopify refused the refresh token: uninstall, unless another process rotated it meanwhile
    (only possible if the lock was lost, e.g. Redis restarted); False when uninstalled."""
    db.session.refresh(shop)
    if shop.refresh_token and shop.refresh_token != used_refresh_token:
        return True
    forget_installation(shop)
    return False


def _record_installation(domain: str, grant: Grant) -> Shop:
    shop = shop_for_domain(domain)
    if shop is None:
        shop = Shop(domain=domain)
        db.session.add(shop)
    if shop.settings is None:
        shop.settings = default_settings()
    _store_grant(shop, grant)
    shop.installed_at = utcnow()
    shop.uninstalled_at = None
    return shop


def _store_grant(shop: Shop, grant: Grant) -> None:
    shop.access_token = grant.access_token
    shop.access_token_expires_at = grant.access_token_expires_at
    shop.refresh_token = grant.refresh_token
    shop.refresh_token_expires_at = grant.refresh_token_expires_at
    shop.scopes = grant.scopes


def _expires_soon(shop: Shop) -> bool:
    expires = shop.access_token_expires_at
    return expires is not None and expires - utcnow() < REFRESH_MARGIN


def _reload(shop: Shop | None) -> Shop | None:
    """Re-read a shop the caller's session holds, after another transaction changed it.

    A shop the caller detached (e.g. to free its connection during a slow call) is left as is.
    """
    if shop is not None and shop in db.session:
        db.session.refresh(shop)
    return shop


@contextmanager
def _own_transaction() -> Iterator[None]:
    """Run the block with its own database session; commit if it succeeds."""
    with current_app.app_context():
        try:
            yield
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise


@contextmanager
def _shop_lock(domain: str) -> Iterator[None]:
    """Hold the shop's token lock (all processes share it through Redis)."""
    lock = get_redis().lock(f"lumen:shop-token:{domain}", timeout=LOCK_TIMEOUT_SECONDS,
                            blocking_timeout=LOCK_WAIT_SECONDS)
    if not lock.acquire():
        raise ShopifyUnavailable(f"another process is still renewing {domain}'s token")
    try:
        yield
    finally:
        try:
            lock.release()
        except LockError:
            logger.warning("token lock for %s expired before it was released", domain)


def _token_endpoint_client() -> httpx.Client:
    """HTTP client for https://{shop}/admin/oauth/access_token (or the development store)."""
    transport: httpx.BaseTransport = _WatchedTransport(shopify_transport())
    base_url = current_app.config.get("LUMEN_SHOPIFY_ADMIN_URL")
    if base_url:
        transport = RebaseTransport(base_url, transport)
    return httpx.Client(transport=transport,
                        timeout=httpx.Timeout(current_app.config["LUMEN_SHOPIFY_TIMEOUT"]))


def _parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _format_time(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None
