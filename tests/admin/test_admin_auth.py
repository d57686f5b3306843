"""The admin's one gate: every route, collected from the URL map, refuses requests that do not
carry a valid session token for this app; the demo's development login exists only in the demo.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lumen.admin import PUBLIC_ENDPOINTS
from lumen.auth.devlogin import COOKIE_NAME
from lumen.extensions import db
from lumen.models import Shop
from tests.conftest import make_app
from tests.embedded_app import API_KEY, API_SECRET, SHOP
from tests.shopify_signing import session_token

OTHER_SECRET = "shpss_" + "fedcba9876543210" * 2


def admin_routes() -> list[tuple[str, str]]:
    """(method, path) of every admin route, read from the app's URL map."""
    app = make_app(Path(tempfile.mkdtemp(prefix="lumen-routes-")))
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin.") or rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        path = rule.build(dict.fromkeys(rule.arguments, 1), append_unknown=False)[1]
        routes.extend((method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return routes


ROUTES = admin_routes()


def bad_tokens() -> dict[str, str]:
    """Session tokens the gate must refuse, each for a different reason."""
    now = time.time()
    return {
        "expired": session_token(SHOP, api_key=API_KEY, secret=API_SECRET, issued_at=now - 600),
        "not yet valid": session_token(SHOP, api_key=API_KEY, secret=API_SECRET,
                                       issued_at=now + 600),
        "forged": session_token(SHOP, api_key=API_KEY, secret=OTHER_SECRET),
        "other app": session_token(SHOP, api_key="another-app", secret=OTHER_SECRET),
        "other app's audience": session_token(SHOP, api_key="another-app", secret=API_SECRET),
        "unsigned": session_token(SHOP, api_key=API_KEY, secret=API_SECRET).rsplit(".", 1)[0]
        + ".",
        "garbage": "not-a-jwt",
    }


def test_every_admin_page_is_covered():
    endpoints = {path for _, path in ROUTES}
    assert {"/admin/", "/admin/settings", "/admin/tickets", "/admin/embed-status"} <= endpoints


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_a_request_without_a_session_token_is_sent_for_one(embedded_app, method, path):
    response = embedded_app.test_client().open(path, method=method)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/auth/patch-id-token?") and "shopify-reload=" in location
    assert _no_shop_installed()


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize("kind", list(bad_tokens()))
def test_a_bad_bearer_token_is_refused(embedded_app, method, path, kind):
    token = bad_tokens()[kind]
    response = embedded_app.test_client().open(
        path, method=method, headers={"Authorization": f"Bearer {token}", "HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers.get("X-Shopify-Retry-Invalid-Session-Request") == "1"
    assert b"<form" not in response.data and b"<section" not in response.data
    assert _no_shop_installed()


@pytest.mark.parametrize(("method", "path"), [route for route in ROUTES if route[0] == "GET"])
@pytest.mark.parametrize("kind", ["expired", "forged", "other app"])
def test_a_stale_or_bad_document_token_goes_to_the_patch_page(embedded_app, method, path, kind):
    token = bad_tokens()[kind]
    response = embedded_app.test_client().get(path, query_string={"id_token": token,
                                                                 "shop": SHOP})
    assert response.status_code in (302, 401)
    assert b"<form" not in response.data and _no_shop_installed()


def test_a_basic_authorization_header_is_refused(embedded_app):
    response = embedded_app.test_client().get("/admin/", headers={"Authorization": "Basic eDp5"})
    assert response.status_code == 401


def test_a_valid_token_opens_the_admin(admin):
    assert admin("/admin/").status_code == 200


def test_a_valid_token_for_a_malformed_shop_is_refused(admin, make_token):
    token = make_token(dest="https://evil.example.com")
    assert admin("/admin/", token=token).status_code == 401


def test_the_development_login_does_not_exist_outside_the_demo(embedded_app):
    client = embedded_app.test_client()
    assert client.get("/admin/dev-login").status_code == 404
    assert COOKIE_NAME not in client.get("/admin/dev-login").headers.get("Set-Cookie", "")


def test_the_development_login_never_works_in_production(tmp_path):
    demo = make_app(tmp_path, LUMEN_DEMO_SHOP=SHOP)
    cookie = demo.test_client().get("/admin/dev-login").headers["Set-Cookie"]
    production = make_app(tmp_path, LUMEN_DEMO_SHOP=SHOP, LUMEN_ENV="production")
    client = production.test_client()
    assert client.get("/admin/dev-login").status_code == 404
    value = cookie.split(";", 1)[0].split("=", 1)[1]
    client.set_cookie(COOKIE_NAME, value)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/").headers["Location"].startswith("/auth/patch-id-token")


def test_the_demo_logs_in_without_shopify(tmp_path):
    demo = make_app(tmp_path, LUMEN_DEMO_SHOP=SHOP)
    with demo.app_context():
        db.create_all()
        db.session.add(Shop(domain=SHOP, access_token="shpat_demo"))
        db.session.commit()
    client = demo.test_client()
    first = client.get("/admin/")
    assert first.status_code == 302 and first.headers["Location"] == "/admin/dev-login"
    login = client.get("/admin/dev-login")
    assert login.status_code == 302 and "HttpOnly" in login.headers["Set-Cookie"]
    page = client.get("/admin/settings")
    assert page.status_code == 200 and b"Escalation email" in page.data
    assert b"app-bridge.js" not in page.data


def test_a_tampered_development_cookie_is_ignored(tmp_path):
    demo = make_app(tmp_path, LUMEN_DEMO_SHOP=SHOP)
    client = demo.test_client()
    client.set_cookie(COOKIE_NAME, "InRhbXBlcmVkIg.forged.signature")
    response = client.get("/admin/", headers={"HX-Request": "true"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/patch-id-token")


def _no_shop_installed() -> bool:
    return db.session.scalar(select(func.count(Shop.id))) == 0
