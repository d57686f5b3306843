"""Widget API fixtures: the app wired to a development store served over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from lumen.devstore import create_devstore_app, load_fixtures
from lumen.extensions import db
from lumen.models import Shop, ShopSettings
from tests.conftest import TEST_SECRETS, make_app, served_on_loopback
from tests.widget.proxy import ProxyClient

STORE_TOKEN = "shpat_widget_tests"
FIXTURES = load_fixtures(None)
SHOP_DOMAIN = FIXTURES["shop"]


def order(name: str) -> dict:
    """The bundled fixture order named ``name`` (e.g. "#1042")."""
    return next(order for order in FIXTURES["orders"] if order["name"] == name)


@pytest.fixture(scope="session")
def devstore_url() -> Iterator[str]:
    """The bundled demo store on a loopback port, with a bucket no test run can empty."""
    store = create_devstore_app(FIXTURES, access_tokens={STORE_TOKEN},
                                bucket_size=1_000_000, restore_rate=1_000_000)
    with served_on_loopback(store) as url:
        yield url


@pytest.fixture
def app(tmp_path, devstore_url) -> Iterator[Flask]:
    """The app (fresh database, in-process Redis) reading orders from the development store."""
    app = make_app(tmp_path, LUMEN_SHOPIFY_ADMIN_URL=devstore_url)
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()


@pytest.fixture
def shop(app) -> Shop:
    """The fixtures' shop, installed with the token the development store accepts."""
    shop = Shop(domain=SHOP_DOMAIN, access_token=STORE_TOKEN, scopes="read_orders",
                settings=ShopSettings())
    db.session.add(shop)
    db.session.commit()
    return shop


@pytest.fixture
def proxy(client, shop) -> ProxyClient:
    """Signed access to the widget API for the fixtures' shop."""
    return ProxyClient(client, shop.domain, TEST_SECRETS["SHOPIFY_API_SECRET"])
