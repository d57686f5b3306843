"""Session tokens on document loads, Shopify's patch-id-token page, and refused exchanges."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from sqlalchemy import func, select

from lumen.extensions import db
from lumen.models import Shop
from tests.embedded_app import API_KEY, SHOP


def test_a_document_load_without_a_token_bounces_through_the_patch_page(embedded_app):
    response = embedded_app.test_client().get("/admin/settings",
                                              query_string={"shop": SHOP, "host": "abc"})
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert (location.scheme, location.netloc, location.path) == ("", "", "/auth/patch-id-token")
    query = parse_qs(location.query)
    assert query["shop"] == [SHOP]
    assert query["shopify-reload"] == [f"/admin/settings?shop={SHOP}&host=abc"]


def test_the_patch_page_loads_app_bridge_for_this_app(embedded_app):
    response = embedded_app.test_client().get(
        "/auth/patch-id-token", query_string={"shop": SHOP, "shopify-reload": "/admin/"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert f'data-api-key="{API_KEY}"' in response.text
    assert 'src="https://cdn.shopify.com/shopifycloud/app-bridge.js"' in response.text
    assert response.headers["Content-Security-Policy"] == (
        f"frame-ancestors https://{SHOP} https://admin.shopify.com;")


def test_the_patch_page_refuses_a_shop_that_is_not_a_myshopify_domain(embedded_app):
    client = embedded_app.test_client()
    for shop in ("evil.example.com", "", "x.myshopify.com https://evil.example.com"):
        response = client.get("/auth/patch-id-token",
                              query_string={"shop": shop, "shopify-reload": "/admin/"})
        assert response.status_code == 400


def test_a_document_load_with_a_token_installs_and_renders(embedded_app, make_token, issuer):
    response = embedded_app.test_client().get(
        "/admin/", query_string={"id_token": make_token(), "shop": SHOP})
    assert response.status_code == 200 and issuer.exchanges == 1
    assert f"frame-ancestors https://{SHOP} " in response.headers["Content-Security-Policy"]


def test_a_token_shopify_refuses_to_exchange_sends_the_browser_for_a_new_one(
        embedded_app, make_token, issuer):
    # Signed with the app's secret (so Lumen accepts it) but Shopify finds it invalid: here,
    # because it names a shop the development store is not.
    stranger = make_token("stranger.myshopify.com")
    client = embedded_app.test_client()
    fetch = client.get("/admin/", headers={"Authorization": f"Bearer {stranger}"})
    assert fetch.status_code == 401
    assert fetch.headers["X-Shopify-Retry-Invalid-Session-Request"] == "1"
    document = client.get("/admin/", query_string={"id_token": stranger,
                                                   "shop": "stranger.myshopify.com"})
    assert document.status_code == 302
    assert document.headers["Location"].startswith("/auth/patch-id-token?")
    assert db.session.scalar(select(func.count(Shop.id))) == 0 and issuer.exchanges == 0
