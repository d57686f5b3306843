"""The development store sends signed webhooks over real HTTP that the app accepts once."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from lumen.devstore.webhooks import main, send_webhook, webhook_headers
from lumen.extensions import db
from lumen.models import Shop
from tests.conftest import TEST_SECRETS, served_on_loopback
from tests.shopify_signing import sign_webhook

SECRET = TEST_SECRETS["SHOPIFY_API_SECRET"]


@pytest.fixture
def app_url(app):
    """The app served on a loopback port, as Shopify would reach it."""
    with served_on_loopback(app) as url:
        yield url


def test_headers_are_shopifys_and_the_signature_matches_the_body():
    body = b'{"shop_id": 1}'
    headers = webhook_headers("shop/redact", "a.myshopify.com", body, SECRET, webhook_id="w1")
    assert headers["X-Shopify-Hmac-Sha256"] == sign_webhook(body, SECRET)
    assert (headers["X-Shopify-Topic"], headers["X-Shopify-Shop-Domain"],
            headers["X-Shopify-Webhook-Id"]) == ("shop/redact", "a.myshopify.com", "w1")


def test_a_signed_uninstall_over_http_is_accepted_once(app_url, create_shop):
    shop = create_shop()
    domain, payload = shop.domain, {"id": 1, "myshopify_domain": shop.domain}
    first = send_webhook(app_url, "app/uninstalled", domain, payload, SECRET, webhook_id="w2")
    again = send_webhook(app_url, "app/uninstalled", domain, payload, SECRET, webhook_id="w2")
    assert first.json() == {"status": "accepted"} and again.json() == {"status": "duplicate"}
    db.session.expire_all()
    assert db.session.scalar(select(Shop.access_token).where(Shop.domain == domain)) is None


def test_a_wrong_secret_is_refused_over_http(app_url):
    response = send_webhook(app_url, "shop/redact", "a.myshopify.com",
                            {"shop_domain": "a.myshopify.com"}, "wrong-secret")
    assert response.status_code == 401


def test_command_line_sends_a_payload_file(app_url, tmp_path, monkeypatch, capsys):
    payload = tmp_path / "payload.json"
    payload.write_text(json.dumps({"shop_id": 1, "shop_domain": "a.myshopify.com"}))
    arguments = ["shop/redact", "--shop", "a.myshopify.com", "--payload", str(payload),
                 "--app-url", app_url]
    monkeypatch.setenv("SHOPIFY_API_SECRET", SECRET)
    assert main(arguments) == 0
    assert "accepted" in capsys.readouterr().out
    monkeypatch.setenv("SHOPIFY_API_SECRET", "wrong-secret")
    assert main(arguments) == 1
