"""Fixtures for the embedded admin and auth tests: the app wired to an in-process development
store that plays Shopify's token endpoint and Admin API, and session tokens as App Bridge sends.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from flask import Flask
from flask.testing import FlaskClient

from lumen.auth.tokens import TRANSPORT_EXTENSION
from lumen.devstore import create_devstore_app, load_fixtures
from lumen.devstore.oauth import TokenIssuer
from tests.conftest import TEST_SECRETS
from tests.shopify_signing import session_token

API_KEY = TEST_SECRETS["SHOPIFY_API_KEY"]
# As long as Shopify's own client secrets (PyJWT warns about HMAC keys under 32 bytes).
API_SECRET = "shpss_" + "0123456789abcdef" * 2
SHOP = load_fixtures()["shop"]
DEVSTORE_URL = "http://devstore.test"


@pytest.fixture
def store_fixtures(request) -> dict:
    """The bundled fixtures, changed by `@pytest.mark.parametrize("store_fixtures", [{...}],
    indirect=True)`: each key given replaces the bundled one, or removes it when None."""
    merged = {**load_fixtures(), **getattr(request, "param", {})}
    return {key: value for key, value in merged.items() if value is not None}


@pytest.fixture
def devstore(store_fixtures) -> Flask:
    """The development store, playing Shopify's token endpoint for the test app's key."""
    return create_devstore_app(store_fixtures, access_tokens=set(), api_key=API_KEY,
                               api_secret=API_SECRET)


@pytest.fixture
def issuer(devstore) -> TokenIssuer:
    """The development store's token issuer (counts exchanges and refreshes)."""
    return devstore.extensions["devstore_oauth"]


@pytest.fixture
def embedded_app(app, devstore) -> Flask:
    """The app talking to the development store instead of Shopify."""
    app.config["SHOPIFY_API_SECRET"] = API_SECRET
    app.config["LUMEN_SHOPIFY_ADMIN_URL"] = DEVSTORE_URL
    app.extensions[TRANSPORT_EXTENSION] = httpx.WSGITransport(app=devstore)
    return app


@pytest.fixture
def make_token() -> Callable[..., str]:
    """Factory: a session token for the development store's shop (claims overridable)."""

    def factory(shop: str = SHOP, **overrides) -> str:
        return session_token(shop, api_key=API_KEY, secret=API_SECRET, **overrides)

    return factory


@pytest.fixture
def admin(embedded_app, make_token) -> Callable[..., object]:
    """Factory: call an admin URL as App Bridge does (fetch with a Bearer session token)."""
    client: FlaskClient = embedded_app.test_client()

    def call(path: str, method: str = "GET", *, htmx: bool = True, token: str | None = None,
             **kwargs):
        headers = {"Authorization": f"Bearer {token or make_token()}", **kwargs.pop("headers", {})}
        if htmx:
            headers["HX-Request"] = "true"
        return client.open(path, method=method, headers=headers, **kwargs)

    return call
