"""Settings that only the environment sets: the old client secret and our own proxy hops.

While Shopify rotates the app's client secret, requests signed with the old one must still pass
every signature check: the app proxy, webhooks and session tokens.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from flask import Flask, request
from werkzeug.test import EnvironBuilder

from lumen import create_app
from lumen.auth.admin_auth import AdminAuthRejected, authenticate
from lumen.config import ConfigError
from lumen.demo.proxy_shim import signed_proxy_query
from lumen.extensions import db
from lumen.models import Shop, ShopSettings
from lumen.widget.proxy_auth import shopper_ip
from tests.conftest import TEST_SECRETS
from tests.shopify_signing import session_token, sign_webhook

CURRENT_SECRET = "shpss_new_" + "fedcba9876543210" * 2
OLD_SECRET = "shpss_old_" + "0123456789abcdef" * 2
STRANGER_SECRET = "shpss_nobody_" + "f" * 32
ENVIRONMENT = {"SHOPIFY_API_SECRET_OLD": OLD_SECRET, "LUMEN_TRUSTED_PROXY_HOPS": "1"}
DOMAIN = "rotating-shop.myshopify.com"


@pytest.fixture
def rotating_app(tmp_path) -> Iterator[Flask]:
    """The app started with the old secret and one proxy hop taken from the environment."""
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.db'}",
              **TEST_SECRETS, "SHOPIFY_API_SECRET": CURRENT_SECRET}
    app = create_app(config, environ=ENVIRONMENT)
    with app.app_context():
        db.create_all()
        db.session.add(Shop(domain=DOMAIN, access_token="shpat_test", scopes="read_orders",
                            settings=ShopSettings()))
        db.session.commit()
        yield app
        db.session.remove()


def test_both_settings_are_read_from_the_environment(rotating_app):
    assert rotating_app.config["SHOPIFY_API_SECRET_OLD"] == OLD_SECRET
    assert rotating_app.config["LUMEN_TRUSTED_PROXY_HOPS"] == 1


def test_an_unregistered_lumen_setting_still_stops_start_up(tmp_path):
    with pytest.raises(ConfigError, match="unknown setting LUMEN_TRUSTED_PROXY_HOP"):
        create_app({"TESTING": True}, environ={"LUMEN_TRUSTED_PROXY_HOP": "1"})


def test_proxy_hops_from_the_environment_are_skipped(rotating_app):
    builder = EnvironBuilder(path="/proxy/api/sessions",
                             headers={"X-Forwarded-For": "6.6.6.6, 198.51.100.23, 10.1.2.3"})
    assert shopper_ip(rotating_app.request_class(builder.get_environ())) == "198.51.100.23"


@pytest.mark.parametrize(("secret", "status"), [
    (CURRENT_SECRET, 201), (OLD_SECRET, 201), (STRANGER_SECRET, 401),
])
def test_the_app_proxy_accepts_the_old_secret(rotating_app, secret, status):
    query = signed_proxy_query(DOMAIN, secret, ())
    response = rotating_app.test_client().post(f"/proxy/api/sessions?{query}", json={},
                                               headers={"X-Forwarded-For": "198.51.100.23"})
    assert response.status_code == status


@pytest.mark.parametrize(("secret", "status"), [
    (CURRENT_SECRET, 200), (OLD_SECRET, 200), (STRANGER_SECRET, 401),
])
def test_webhooks_accept_the_old_secret(rotating_app, secret, status):
    body = json.dumps({"shop_id": 1, "shop_domain": DOMAIN}).encode()
    headers = {"Content-Type": "application/json", "X-Shopify-Topic": "shop/redact",
               "X-Shopify-Shop-Domain": DOMAIN, "X-Shopify-Webhook-Id": f"rotation-{status}-"
               + secret[-4:], "X-Shopify-Api-Version": "2026-04",
               "X-Shopify-Hmac-Sha256": sign_webhook(body, secret)}
    response = rotating_app.test_client().post("/webhooks/shop/redact", data=body,
                                               headers=headers)
    assert response.status_code == status


@pytest.mark.parametrize(("secret", "accepted"), [
    (CURRENT_SECRET, True), (OLD_SECRET, True), (STRANGER_SECRET, False),
])
def test_session_tokens_accept_the_old_secret(rotating_app, secret, accepted):
    token = session_token(DOMAIN, api_key=TEST_SECRETS["SHOPIFY_API_KEY"], secret=secret)
    with rotating_app.test_request_context("/admin/",
                                           headers={"Authorization": f"Bearer {token}"}):
        if accepted:
            assert authenticate(request).shop_domain == DOMAIN
        else:
            with pytest.raises(AdminAuthRejected):
                authenticate(request)
