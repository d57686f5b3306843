"""`lumen demo` uses SHOPIFY_API_KEY / SHOPIFY_API_SECRET from the environment when set, so
outside tools can sign session tokens, proxy requests and webhooks as Shopify would.
"""

from __future__ import annotations

import json
import os

import pytest

from lumen.demo import build_demo
from lumen.extensions import db


@pytest.fixture
def demo_environment(tmp_path, monkeypatch):
    """A clean environment whose instance folder is `tmp_path`."""
    for name in list(os.environ):
        if name.startswith("LUMEN_") or name in ("DATABASE_URL", "REDIS_URL", "SHOPIFY_API_KEY",
                                                 "SHOPIFY_API_SECRET"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("LUMEN_INSTANCE_PATH", str(tmp_path))
    return tmp_path


def build():
    app, _ = build_demo(None, "http://127.0.0.1:5000")
    with app.app_context():
        db.engine.dispose()
    return app


def test_the_demo_honours_the_apps_credentials_from_the_environment(demo_environment,
                                                                    monkeypatch):
    secret = "shpss_" + "a1" * 16
    monkeypatch.setenv("SHOPIFY_API_KEY", "partner-app-key")
    monkeypatch.setenv("SHOPIFY_API_SECRET", secret)
    app = build()
    assert app.config["SHOPIFY_API_KEY"] == "partner-app-key"
    assert app.config["SHOPIFY_API_SECRET"] == secret
    stored = json.loads((demo_environment / "development-secrets.json").read_text())
    assert secret not in stored.values(), "the environment's secret is never written to disk"


def test_without_them_the_demo_keeps_generated_development_values(demo_environment):
    first, second = build(), build()
    assert first.config["SHOPIFY_API_KEY"].startswith("lumen-development-")
    assert first.config["SHOPIFY_API_SECRET"] == second.config["SHOPIFY_API_SECRET"]
