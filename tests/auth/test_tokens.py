"""Install, token exchange, refresh under a lock, revocation — against the development store."""

from __future__ import annotations

import json
import logging
import threading
import time
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, text

from lumen.auth import admin_client_for
from lumen.auth.tokens import REFRESH_MARGIN, TRANSPORT_EXTENSION
from lumen.extensions import db
from lumen.models import Shop, ShopSettings, utcnow
from lumen.privacy import forget_installation
from lumen.shopify import ShopifyAuthError
from tests.embedded_app import SHOP

SHOP_QUERY = "query { shop { name myshopifyDomain } }"


def installed_shop(admin) -> Shop:
    """Open the admin once (as the merchant's first load does) and return the installed shop."""
    assert admin("/admin/").status_code == 200
    return db.session.scalar(select(Shop).where(Shop.domain == SHOP))


def expire_soon(shop: Shop, within: timedelta = timedelta(minutes=1)) -> None:
    """Move the stored expiry close, as if the hour had nearly passed."""
    shop.access_token_expires_at = utcnow() + within
    db.session.commit()


class SlowTokenEndpoint(httpx.BaseTransport):
    """Delays token endpoint answers so concurrent refreshes overlap."""

    def __init__(self, inner: httpx.BaseTransport, delay: float):
        self.inner = inner
        self.delay = delay

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/admin/oauth/access_token"):
            time.sleep(self.delay)
        return self.inner.handle_request(request)


class FailingTokenEndpoint(httpx.BaseTransport):
    """The token endpoint is down (503); everything else goes through."""

    def __init__(self, inner: httpx.BaseTransport):
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/admin/oauth/access_token"):
            return httpx.Response(503, json={"errors": "Service Unavailable"})
        return self.inner.handle_request(request)


def test_first_admin_load_exchanges_the_session_token_for_an_expiring_offline_token(
        admin, issuer):
    shop = installed_shop(admin)
    assert issuer.exchanges == 1
    assert issuer.accepts(shop.access_token)
    assert shop.refresh_token and shop.scopes == "read_orders,read_themes"
    lifetime = shop.access_token_expires_at - utcnow()
    assert timedelta(minutes=55) < lifetime <= timedelta(hours=1)
    assert shop.refresh_token_expires_at - utcnow() > timedelta(days=89)
    assert shop.settings is not None
    admin("/admin/settings")
    assert issuer.exchanges == 1, "a live token is reused, not exchanged again"


def test_tokens_are_encrypted_at_rest(admin):
    shop = installed_shop(admin)
    stored = db.session.execute(text("SELECT access_token, refresh_token FROM shops")).one()
    assert shop.access_token not in stored.access_token
    assert shop.refresh_token not in stored.refresh_token


def test_install_exchange_refresh_then_query_the_store(admin, issuer):
    shop = installed_shop(admin)
    first_token = shop.access_token
    expire_soon(shop)
    with admin_client_for(shop) as client:
        data = client.execute(SHOP_QUERY)
    assert data["shop"]["myshopifyDomain"] == SHOP
    assert issuer.refreshes == 1
    assert shop.access_token != first_token and issuer.accepts(shop.access_token)
    assert not issuer.accepts(first_token)
    assert shop.access_token_expires_at - utcnow() > REFRESH_MARGIN


def test_a_token_far_from_expiry_is_not_refreshed(admin, issuer):
    shop = installed_shop(admin)
    with admin_client_for(shop) as client:
        client.execute(SHOP_QUERY)
    assert issuer.refreshes == 0


def test_concurrent_refreshes_reach_shopify_once(admin, issuer, embedded_app):
    shop = installed_shop(admin)
    expire_soon(shop)
    transport = embedded_app.extensions[TRANSPORT_EXTENSION]
    embedded_app.extensions[TRANSPORT_EXTENSION] = SlowTokenEndpoint(transport, delay=0.3)
    # Read now: `shop` belongs to this thread's session (expired by the commit above), and a
    # worker touching it would reload it through that session, which threads must not share.
    shop_id = shop.id
    start = threading.Barrier(4, timeout=10)
    tokens: list[str] = []
    errors: list[BaseException] = []

    def worker() -> None:
        with embedded_app.app_context():
            try:
                mine = db.session.get(Shop, shop_id)
                start.wait()
                with admin_client_for(mine) as client:
                    client.execute(SHOP_QUERY)
                tokens.append(mine.access_token)
            except BaseException as error:  # reported below, with the thread's context gone
                start.abort()  # the others must not wait for a worker that will never arrive
                errors.append(error)

    # Daemon threads: a stuck worker fails the test instead of keeping pytest from exiting.
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a worker is stuck"
    assert not errors
    assert issuer.refreshes == 1
    assert len(tokens) == 4 and len(set(tokens)) == 1 and issuer.accepts(tokens[0])


def test_reinstall_upserts_the_same_shop(admin, issuer):
    shop = installed_shop(admin)
    shop_id, first_installed = shop.id, shop.installed_at
    forget_installation(shop)
    db.session.commit()
    assert not shop.is_installed and shop.settings is None
    assert admin("/admin/").status_code == 200
    db.session.refresh(shop)
    assert db.session.scalar(select(db.func.count(Shop.id))) == 1
    assert shop.id == shop_id and shop.is_installed and shop.uninstalled_at is None
    assert shop.installed_at > first_installed
    assert isinstance(shop.settings, ShopSettings)
    assert issuer.exchanges == 2


def test_a_revoked_token_marks_the_shop_uninstalled(admin, issuer):
    shop = installed_shop(admin)
    issuer.revoke()
    with pytest.raises(ShopifyAuthError), admin_client_for(shop) as client:
        client.execute(SHOP_QUERY)
    db.session.refresh(shop)
    assert not shop.is_installed and shop.uninstalled_at is not None
    assert shop.access_token is None and shop.refresh_token is None
    assert shop.settings is None


def test_a_missing_scope_does_not_uninstall(admin, embedded_app):
    shop = installed_shop(admin)

    def access_denied(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, json={"errors": "read_themes scope required"})

    embedded_app.extensions[TRANSPORT_EXTENSION] = httpx.MockTransport(access_denied)
    with pytest.raises(ShopifyAuthError), admin_client_for(shop) as client:
        client.execute(SHOP_QUERY)
    db.session.refresh(shop)
    assert shop.is_installed


def test_a_revoked_refresh_token_uninstalls_instead_of_retrying(admin, issuer):
    shop = installed_shop(admin)
    expire_soon(shop)
    issuer.revoke()
    with pytest.raises(ShopifyAuthError):
        admin_client_for(shop)
    assert not shop.is_installed and shop.refresh_token is None


def test_a_refresh_outage_keeps_using_a_token_that_is_still_valid(admin, issuer, embedded_app,
                                                                   caplog):
    shop = installed_shop(admin)
    token = shop.access_token
    expire_soon(shop)
    transport = embedded_app.extensions[TRANSPORT_EXTENSION]
    embedded_app.extensions[TRANSPORT_EXTENSION] = FailingTokenEndpoint(transport)
    with caplog.at_level(logging.WARNING, logger="lumen.auth.tokens"), \
            admin_client_for(shop) as client:
        assert client.execute(SHOP_QUERY)["shop"]["myshopifyDomain"] == SHOP
    assert shop.access_token == token and issuer.refreshes == 0
    assert "still valid" in caplog.text


def test_an_uninstalled_shop_gets_no_client(admin):
    shop = installed_shop(admin)
    forget_installation(shop)
    db.session.commit()
    with pytest.raises(ShopifyAuthError):
        admin_client_for(shop)


class RivalRefresh(httpx.BaseTransport):
    """Just before Shopify sees a refresh, a rival process that lost the lock (Redis restarted)
    refreshes the same token first and stores the new grant."""

    def __init__(self, inner: httpx.BaseTransport, app, shop_id: int):
        self.inner, self.app, self.shop_id = inner, app, shop_id
        self.rival_token: str | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/admin/oauth/access_token") and not self.rival_token:
            rival = self.inner.handle_request(httpx.Request("POST", request.url,
                                                            content=request.content,
                                                            headers=request.headers))
            grant = json.loads(rival.read())
            with self.app.app_context():
                shop = db.session.get(Shop, self.shop_id)
                shop.access_token = grant["access_token"]
                shop.refresh_token = grant["refresh_token"]
                shop.access_token_expires_at = utcnow() + timedelta(seconds=grant["expires_in"])
                db.session.commit()
            self.rival_token = grant["access_token"]
        return self.inner.handle_request(request)


def test_a_refresh_lost_to_a_rival_is_not_mistaken_for_a_revocation(admin, issuer, embedded_app):
    shop = installed_shop(admin)
    expire_soon(shop)
    rival = RivalRefresh(embedded_app.extensions[TRANSPORT_EXTENSION], embedded_app, shop.id)
    embedded_app.extensions[TRANSPORT_EXTENSION] = rival
    with admin_client_for(shop) as client:
        assert client.execute(SHOP_QUERY)["shop"]["myshopifyDomain"] == SHOP
    assert shop.is_installed and shop.access_token == rival.rival_token
    assert issuer.refreshes == 1, "Shopify refused the second use of the old refresh token"


def test_a_shop_detached_from_its_session_still_gets_a_fresh_token(admin, issuer):
    shop = installed_shop(admin)
    expire_soon(shop)
    db.session.refresh(shop)
    db.session.close()  # as a chat turn does while it waits for Shopify
    with admin_client_for(shop) as client:
        assert client.execute(SHOP_QUERY)["shop"]["myshopifyDomain"] == SHOP
    assert issuer.refreshes == 1
    stored = db.session.scalar(select(Shop).where(Shop.domain == SHOP))
    assert issuer.accepts(stored.access_token)
