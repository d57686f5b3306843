"""Migrations run forward and back on SQLite and PostgreSQL, and match the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from lumen.extensions import db
from tests.conftest import make_app

TABLES = {"shops", "shop_settings", "conversations", "messages", "tickets",
          "webhook_deliveries", "data_requests"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrations.db'}"
    return request.getfixturevalue("postgres_url")


def _tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(tmp_path, database_url):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        upgrade()
        assert _tables() == TABLES
        downgrade(revision="base")
        assert _tables() == set()
        upgrade()
        assert _tables() == TABLES
        db.engine.dispose()


def test_migrations_match_the_models(tmp_path, database_url):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": False})
            assert compare_metadata(context, db.metadata) == []
        db.engine.dispose()


def test_0002_gives_existing_conversations_an_empty_order_id_list(tmp_path, database_url):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO shops (id, domain, scopes, plan, installed_at) "
                "VALUES (1, 'old.myshopify.com', '', 'free', CURRENT_TIMESTAMP)"))
            connection.execute(text(
                "INSERT INTO conversations (shop_id, order_names, status, started_at, "
                "message_count, llm_tokens_in, llm_tokens_out) "
                "VALUES (1, '[\"#1001\"]', 'pending', CURRENT_TIMESTAMP, 0, 0, 0)"))
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text(
                "SELECT order_ids FROM conversations")).scalar_one() in ([], "[]")
        downgrade(revision="0001")
        assert "data_requests" not in _tables()
        db.engine.dispose()
