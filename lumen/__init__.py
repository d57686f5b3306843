"""Lumen: verification-first "where is my order?" chat for Shopify stores."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from lumen import llm, mail, models, queue, request_limits, security  # noqa: F401 - models register their tables
from lumen.config import check_encryption_keys, load_config
from lumen.extensions import db, htmx, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE_PATH = PROJECT_ROOT / "instance"


def create_app(overrides: Mapping[str, Any] | None = None,
               environ: Mapping[str, str] | None = None) -> Flask:
    """Build the Lumen web app: configuration, extensions, blueprints and error handlers.

    It only wires: no network, disk or logging set-up (entry points call
    ``lumen.startup.prepare_process``).
    """
    config = {**load_config(environ), **(overrides or {})}
    app = Flask(__name__, instance_path=str(instance_path(config)),
                template_folder=str(PROJECT_ROOT / "templates"),
                static_folder=str(PROJECT_ROOT / "static"))
    _configure(app, config)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    htmx.init_app(app)
    queue.init_app(app)
    mail.init_app(app)
    request_limits.init_app(app)
    llm.init_app(app)
    _register_blueprints(app)
    return app


def instance_path(config: Mapping[str, Any]) -> Path:
    """Where the SQLite database and development secrets live."""
    return Path(config.get("LUMEN_INSTANCE_PATH") or DEFAULT_INSTANCE_PATH)


def _configure(app: Flask, config: Mapping[str, Any]) -> None:
    app.config.update(config)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'lumen.db'}"
    for key, value in security.generate_secrets().items():
        # Development only: production refuses to start without these (see lumen.config).
        if not app.config.get(key):
            app.config[key] = value
    check_encryption_keys(app.config["LUMEN_ENCRYPTION_KEYS"])
    # Statement parameters never appear in errors or logs: they can hold access tokens.
    # A gevent worker serves many turns at once: with SQLAlchemy's default pool of 5, the
    # others opened and closed overflow connections all the time (a PostgreSQL backend each),
    # which measurement showed as a large share of a turn's CPU. Pre-ping finds connections a
    # database restart closed before a turn uses them.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        "pool_pre_ping": True, "pool_size": 10, "max_overflow": 10,
        **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}), "hide_parameters": True}


def _register_blueprints(app: Flask) -> None:
    # Feature pages (history, tickets, analytics) register their routes on the admin
    # blueprint: the factory imports them, since they sit above the admin package.
    from lumen.admin import bp as admin_bp
    from lumen.analytics import views as analytics_views  # noqa: F401
    from lumen.auth import bp as auth_bp
    from lumen.history import export_views, views  # noqa: F401
    from lumen.system import bp as system_bp
    from lumen.tickets import views as ticket_views  # noqa: F401
    from lumen.webhooks import bp as webhooks_bp
    from lumen.widget import bp as widget_bp
    from lumen.widget import docs_bp as widget_docs_bp

    app.register_blueprint(system_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(webhooks_bp)
    app.register_blueprint(widget_bp)
    app.register_blueprint(widget_docs_bp)
