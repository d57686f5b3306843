"""Separate processes on real Redis and PostgreSQL refresh one shop's token at once: Shopify
(the development store, served over HTTP) sees exactly one refresh."""

from __future__ import annotations

import multiprocessing
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from lumen.auth import admin_client_for
from lumen.devstore import create_devstore_app
from lumen.extensions import db
from lumen.models import Shop, utcnow
from tests.conftest import make_app, served_on_loopback
from tests.embedded_app import API_KEY, API_SECRET, SHOP
from tests.shopify_signing import session_token

pytestmark = pytest.mark.integration
PROCESSES = 3


def slow_token_endpoint(wsgi_app, delay: float):
    """WSGI middleware: token endpoint answers take `delay` seconds, so refreshes overlap."""

    def middleware(environ, start_response):
        if environ["PATH_INFO"].endswith("/admin/oauth/access_token"):
            time.sleep(delay)
        return wsgi_app(environ, start_response)

    return middleware


def refresh_in_another_process(config: dict, shop_id: int, start, results) -> None:
    """Run in a fresh process: wait for the others, get a client, report the token."""
    from pathlib import Path
    from tempfile import mkdtemp

    app = make_app(Path(mkdtemp()), **config)
    with app.app_context():
        shop = db.session.get(Shop, shop_id)
        start.wait(timeout=60)
        with admin_client_for(shop) as client:
            client.execute("query { shop { name } }")
        results.put(shop.access_token)
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def devstore_server():
    """The development store on a real port, its token endpoint slowed down."""
    store = create_devstore_app(access_tokens=set(), api_key=API_KEY, api_secret=API_SECRET)
    with served_on_loopback(slow_token_endpoint(store, 0.5)) as url:
        yield url, store.extensions["devstore_oauth"]


def test_processes_refreshing_at_once_reach_shopify_once(tmp_path, postgres_url, redis_url,
                                                        devstore_server):
    url, issuer = devstore_server
    config = {"SQLALCHEMY_DATABASE_URI": postgres_url, "REDIS_URL": redis_url,
              "LUMEN_SHOPIFY_ADMIN_URL": url, "SHOPIFY_API_SECRET": API_SECRET}
    app = make_app(tmp_path, **config)
    config["LUMEN_ENCRYPTION_KEYS"] = app.config["LUMEN_ENCRYPTION_KEYS"]
    with app.app_context():
        db.create_all()
        token = session_token(SHOP, api_key=API_KEY, secret=API_SECRET)
        assert app.test_client().get("/admin/", headers={
            "Authorization": f"Bearer {token}", "HX-Request": "true"}).status_code == 200
        shop = db.session.scalar(select(Shop).where(Shop.domain == SHOP))
        shop.access_token_expires_at = utcnow() + timedelta(minutes=1)
        db.session.commit()
        shop_id = shop.id
        db.session.remove()
        db.engine.dispose()
    spawn = multiprocessing.get_context("spawn")
    results, start = spawn.Queue(), spawn.Barrier(PROCESSES)
    workers = [spawn.Process(target=refresh_in_another_process,
                             args=(config, shop_id, start, results))
               for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert [worker.exitcode for worker in workers] == [0] * PROCESSES
    tokens = {results.get(timeout=5) for _ in range(PROCESSES)}
    assert issuer.refreshes == 1
    assert len(tokens) == 1 and issuer.accepts(tokens.pop())
