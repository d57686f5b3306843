"""The embedded default: one process with the app, the development store and a demo storefront."""

from __future__ import annotations

import secrets
from pathlib import Path

import httpx
from flask import Flask
from flask_migrate import upgrade
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from lumen import create_app, instance_path, plans
from lumen.auth.tokens import TRANSPORT_EXTENSION
from lumen.config import load_config
from lumen.demo.outbox import bp as outbox_bp
from lumen.demo.seed import seed_demo_conversations
from lumen.demo.storefront import bp as storefront_bp
from lumen.devstore import create_devstore_app, load_fixtures
from lumen.devstore.timeline import shift_to
from lumen.extensions import db
from lumen.models import Plan, Shop, utcnow
from lumen.security import load_or_create_development_secrets
from lumen.shops import default_settings, shop_for_domain

DEVSTORE_PREFIX = "/devstore"


PLAN_SUBSCRIPTIONS = {Plan.FREE: [], Plan.PRO: [{"name": "Pro", "status": "ACTIVE"}],
                      Plan.PRO_PLUS: [{"name": "Pro+", "status": "ACTIVE"}]}


def build_demo(fixtures: str | Path | None, base_url: str, plan: Plan = Plan.FREE,
               seed: bool = True) -> tuple[Flask, DispatcherMiddleware]:
    """Create, migrate and seed the demo app; return it and the WSGI app serving everything.

    The development store answers `currentAppInstallation` with ``plan``'s subscription, and
    the demo shop is on that plan; ``seed`` plays a few weeks of conversations (first start).
    """
    store_data = shift_to(load_fixtures(fixtures), utcnow())
    store_data["app_installation"] = {"activeSubscriptions": PLAN_SUBSCRIPTIONS[plan]}
    access_token = "shpat_demo_" + secrets.token_hex(16)
    # LUMEN_DEMO_SHOP enables the admin's development login (never in production).
    app = create_app({"LUMEN_SHOPIFY_ADMIN_URL": base_url + DEVSTORE_PREFIX,
                      "LUMEN_DEMO_SHOP": store_data["shop"], "LUMEN_DEMO_URL": base_url,
                      **_persistent_development_secrets()})
    app.register_blueprint(storefront_bp)
    app.register_blueprint(outbox_bp)
    from lumen.demo.proxy_shim import build_proxy_shim

    app.register_blueprint(build_proxy_shim(store_data["shop"]))
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        shop = install_demo_shop(store_data["shop"], access_token)
        shop.plan = plans.plan_from_subscriptions(PLAN_SUBSCRIPTIONS[plan])
        db.session.commit()
    devstore = create_devstore_app(store_data, access_tokens={access_token},
                                   api_key=app.config["SHOPIFY_API_KEY"],
                                   api_secret=app.config["SHOPIFY_API_SECRET"])
    served = DispatcherMiddleware(app, {DEVSTORE_PREFIX: devstore})
    if seed:
        _seed(app, served, store_data["shop"])
    return app, served


def _seed(app: Flask, served: DispatcherMiddleware, domain: str) -> None:
    # Nothing listens on base_url yet: Shopify calls reach the development store in process.
    app.extensions[TRANSPORT_EXTENSION] = httpx.WSGITransport(app=served)
    try:
        with app.app_context():
            shop = shop_for_domain(domain)
            seed_demo_conversations(app, shop)
    finally:
        app.extensions.pop(TRANSPORT_EXTENSION, None)


def _persistent_development_secrets() -> dict[str, str]:
    # Kept on disk so encrypted tokens stay readable across restarts; the environment wins.
    configured = load_config()
    stored = load_or_create_development_secrets(instance_path(configured))
    return {key: value for key, value in stored.items() if not configured.get(key)}


def install_demo_shop(domain: str, access_token: str) -> Shop:
    """Create or refresh the demo shop with a token the development store accepts."""
    shop = shop_for_domain(domain)
    if shop is None:
        shop = Shop(domain=domain, scopes="read_orders", settings=default_settings())
        db.session.add(shop)
    shop.access_token = access_token
    shop.uninstalled_at = None
    db.session.commit()
    return shop
