"""The demo's app-proxy shim signs exactly as Shopify does and forwards in-process."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from shopify_app import verify_app_proxy_req

from lumen.demo.proxy_shim import build_proxy_shim, sign_proxy_query, signed_proxy_query
from lumen.widget import limits
from tests.widget.conftest import SHOP_DOMAIN

# shopify.dev, "Authenticate app proxies": shared secret "hush".
DOCUMENTED_QUERY = ("extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1"
                    "&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555")
DOCUMENTED_SIGNATURE = "4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb"


def test_signature_matches_shopifys_documented_example():
    params = parse_qsl(DOCUMENTED_QUERY, keep_blank_values=True)
    assert sign_proxy_query(params, "hush") == DOCUMENTED_SIGNATURE


def test_shopifyapp_accepts_what_the_shim_signs():
    query = signed_proxy_query("my-shop.myshopify.com", "s3cret", [("a", "1"), ("a", "2")])
    request = {"method": "GET", "headers": {}, "body": "", "url": f"https://x.test/p?{query}"}
    config = {"client_id": "id", "client_secret": "s3cret", "old_client_secret": None}
    result = verify_app_proxy_req(request, config)
    assert result.ok and result.shop == "my-shop"
    wrong = verify_app_proxy_req(request, {**config, "client_secret": "other"})
    assert not wrong.ok


@pytest.fixture
def shim_client(app, shop):
    app.register_blueprint(build_proxy_shim(SHOP_DOMAIN))
    return app.test_client()


def test_storefront_path_is_signed_and_forwarded(shim_client):
    response = shim_client.post("/apps/lumen/api/sessions", json={},
                                headers={"Cookie": "session=secret"})
    assert response.status_code == 201
    token = response.get_json()["session"]
    response = shim_client.post("/apps/lumen/api/messages", json={"session": token,
                                                                   "text": "hello"})
    assert response.status_code == 200
    assert response.get_json()["replies"]


def test_forwarded_errors_keep_their_status_and_shape(shim_client):
    response = shim_client.get("/apps/lumen/api/sessions")
    assert response.status_code == 405
    assert response.get_json()["error"] == "method_not_allowed"
    response = shim_client.post("/apps/lumen/api/messages", data="nope")
    assert response.status_code == 400


def test_the_shopper_ip_is_forwarded_as_shopify_does(shim_client, monkeypatch):
    monkeypatch.setattr(limits, "IP_REQUESTS_PER_MINUTE", 1)

    def post_from(address: str, claimed: str = "") -> int:
        return shim_client.post("/apps/lumen/api/sessions", json={},
                                headers={"X-Forwarded-For": claimed},
                                environ_base={"REMOTE_ADDR": address}).status_code

    assert post_from("198.51.100.7") == 201
    # What the shopper claims in X-Forwarded-For is replaced by the address they came from.
    assert post_from("198.51.100.7", claimed="192.0.2.55") == 429
    assert post_from("198.51.100.8") == 201
