"""Shared fixtures: the app on its embedded default, its clients, and model factories."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from cryptography.fernet import Fernet
from flask import Flask

from lumen import PROJECT_ROOT, create_app, sentiment
from lumen.extensions import db
from lumen.models import Shop, ShopSettings

# The embedded-app fixtures (development store acting as Shopify) for admin, auth and webhooks.
pytest_plugins = ("tests.embedded_app",)

TEST_SECRETS = {
    "SECRET_KEY": "test-secret-key-" + "x" * 32,
    "LUMEN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "LUMEN_EMAIL_HASH_KEY": "test-email-hash-key-" + "y" * 32,
    "SHOPIFY_API_KEY": "test-api-key",
    "SHOPIFY_API_SECRET": "test-api-secret",
}

# Integration tests use these real services (see .ci/test); the defaults match CI's machine.
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _redis_url_of_this_process(url: str) -> str:
    """The test Redis database of this pytest process: xdist worker gwN takes the Nth below."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return url
    base, _, database = url.rpartition("/")
    return f"{base}/{int(database) - int(worker[2:])}"


REDIS_URL = _redis_url_of_this_process(os.environ.get("TEST_REDIS_URL",
                                                      "redis://127.0.0.1:6379/15"))


@pytest.fixture(scope="session", autouse=True)
def lexicon_loaded() -> None:
    """Load VADER's lexicon once, as every entry point does at start-up (lumen.startup)."""
    sentiment.load_lexicon()


def make_app(tmp_path, **overrides) -> Flask:
    """An app on the embedded default, isolated in ``tmp_path``, with fixed test secrets."""
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.db'}",
              **TEST_SECRETS, **overrides}
    return create_app(config, environ={})


@pytest.fixture
def app(tmp_path) -> Iterator[Flask]:
    """The app with a fresh database, inside an app context."""
    app = make_app(tmp_path)
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()


@pytest.fixture
def runner(app):
    """A CLI runner for the app's Flask commands."""
    return app.test_cli_runner()


@pytest.fixture
def create_shop(app) -> Callable[..., Shop]:
    """Factory: an installed shop with settings; keyword arguments override the defaults."""
    counter = iter(range(1, 10_000))

    def factory(**fields) -> Shop:
        fields.setdefault("domain", f"shop-{next(counter)}.myshopify.com")
        fields.setdefault("access_token", "shpat_test_token")
        fields.setdefault("scopes", "read_orders")
        shop = Shop(settings=ShopSettings(), **fields)
        db.session.add(shop)
        db.session.commit()
        return shop

    return factory


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database on the real server, dropped afterwards."""
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    name = f"lumen_test_{uuid.uuid4().hex[:12]}"
    admin_url = make_url(POSTGRES_URL).set(drivername="postgresql")
    with psycopg.connect(admin_url.render_as_string(hide_password=False),
                         autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_url.render_as_string(hide_password=False),
                             autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def redis_url() -> Iterator[str]:
    """The real Redis server's test database, emptied before and after."""
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    yield REDIS_URL
    connection.flushdb()
    connection.close()


WORKER_SECRETS = {"LUMEN_SECRET_KEY": TEST_SECRETS["SECRET_KEY"],
                  "LUMEN_ENCRYPTION_KEYS": TEST_SECRETS["LUMEN_ENCRYPTION_KEYS"],
                  "LUMEN_EMAIL_HASH_KEY": TEST_SECRETS["LUMEN_EMAIL_HASH_KEY"]}


@contextmanager
def running_worker(log_path, settings: dict[str, str]) -> Iterator[subprocess.Popen]:
    """worker.py in its own process group with the test secrets plus ``settings``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("LUMEN_")}
    env.update(WORKER_SECRETS, **settings)
    with open(log_path, "w") as log:
        process = subprocess.Popen([sys.executable, "worker.py"], cwd=PROJECT_ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_for(condition: Callable[[], object], timeout: float = 30.0,
             interval: float = 0.02) -> None:
    """Poll ``condition`` until it is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError("condition not met in time")


@contextmanager
def migrated_app(tmp_path, **overrides) -> Iterator[Flask]:
    """An app migrated from empty (``flask db upgrade``), inside its app context."""
    from flask_migrate import upgrade

    app = make_app(tmp_path, **overrides)
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def production_app(tmp_path, postgres_url, redis_url):
    """The app on real PostgreSQL (migrated from empty) and real Redis."""
    with migrated_app(tmp_path, SQLALCHEMY_DATABASE_URI=postgres_url,
                      REDIS_URL=redis_url) as app:
        yield app


@contextmanager
def served_on_loopback(wsgi_app) -> Iterator[str]:
    """``wsgi_app`` served by a threaded server on a free loopback port; yields its base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


@pytest.fixture
def smtp():
    """A real SMTP server on loopback (aiosmtpd): its URL and the handler recording messages."""
    from tests.smtp_server import smtp_server

    with smtp_server() as server:
        yield server
