"""The widget's one gate: Shopify's app-proxy signature, the shop it names, the shopper's IP."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest

from lumen.demo.proxy_shim import signed_proxy_query
from lumen.extensions import db
from lumen.models import Shop, ShopSettings, utcnow
from tests.conftest import TEST_SECRETS

SECRET = TEST_SECRETS["SHOPIFY_API_SECRET"]


def assert_refused(response, code: str) -> None:
    assert response.status_code == 401
    assert response.get_json() == {"error": code, "message": response.get_json()["message"]}
    assert response.get_json()["message"]


def test_signed_request_reaches_the_api(proxy):
    response = proxy.post("api/sessions", {})
    assert response.status_code == 201
    assert response.get_json()["session"]


def test_unsigned_request_is_refused(client, shop):
    assert_refused(client.post("/proxy/api/sessions", json={}), "invalid_signature")


def test_signature_with_another_secret_is_refused(proxy):
    assert_refused(proxy.post("api/sessions", {}, secret="not-the-app-secret"),
                   "invalid_signature")


@pytest.mark.parametrize("age", [-120, 91, 3600])
def test_stale_or_future_timestamp_is_refused(proxy, age):
    response = proxy.post("api/sessions", {}, timestamp=int(time.time()) - age)
    assert_refused(response, "invalid_signature")


def test_recent_timestamp_is_accepted(proxy):
    assert proxy.post("api/sessions", {}, timestamp=int(time.time()) - 60).status_code == 201


def test_tampered_parameter_breaks_the_signature(client, proxy):
    url = proxy.url("api/sessions", query=[("lang", "en")])
    response = client.post(url.replace("lang=en", "lang=fr"), json={})
    assert_refused(response, "invalid_signature")


def test_shop_swapped_after_signing_is_refused(client, proxy, create_shop):
    other = create_shop()
    url = proxy.url("api/sessions")
    response = client.post(url.replace(quote(proxy.shop_domain), other.domain), json={})
    assert_refused(response, "invalid_signature")


def test_second_shop_parameter_is_refused(client, proxy, create_shop):
    other = create_shop()
    url = proxy.url("api/sessions", query=[("shop", other.domain)])
    assert_refused(client.post(url, json={}), "invalid_signature")


@pytest.mark.parametrize("signature", ["é" * 64, "", "00" * 32, "%00"])
def test_garbage_signature_is_refused_not_an_error(client, shop, signature):
    query = signed_proxy_query(shop.domain, SECRET).rsplit("&signature=", 1)[0]
    response = client.post(f"/proxy/api/sessions?{query}&signature={quote(signature)}", json={})
    assert_refused(response, "invalid_signature")


def test_unknown_shop_is_refused(proxy):
    response = proxy.post("api/sessions", {}, shop_domain="not-installed.myshopify.com")
    assert_refused(response, "unknown_shop")


def test_uninstalled_shop_is_refused(proxy, shop):
    shop.uninstalled_at = utcnow()
    db.session.commit()
    assert_refused(proxy.post("api/sessions", {}), "unknown_shop")


def test_shop_without_a_token_is_refused(proxy):
    db.session.add(Shop(domain="tokenless.myshopify.com", settings=ShopSettings()))
    db.session.commit()
    response = proxy.post("api/sessions", {}, shop_domain="tokenless.myshopify.com")
    assert_refused(response, "unknown_shop")


def test_unknown_path_is_json_404_behind_the_gate(client, proxy):
    assert_refused(client.get("/proxy/nothing/here"), "invalid_signature")
    response = proxy.client.get(proxy.url("nothing/here"))
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


def test_wrong_method_is_json_405_with_allow(proxy):
    response = proxy.client.get(proxy.url("api/messages"))
    assert response.status_code == 405
    assert response.get_json()["error"] == "method_not_allowed"
    assert "POST" in response.headers["Allow"]


def test_responses_are_not_cached_and_carry_server_timing(proxy):
    response = proxy.post("api/sessions", {})
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Server-Timing"].startswith("app;dur=")
