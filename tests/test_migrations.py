"""Migrations run forward and back on SQLite and PostgreSQL, and match the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from lumen.extensions import db
from lumen.models import include_in_autogenerate
from tests.conftest import make_app

TABLES = {"shops", "shop_settings", "conversations", "messages", "tickets",
          "webhook_deliveries", "data_requests", "exports", "export_chunks", "analytics_days",
          "analytics_hours"}


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
            context = MigrationContext.configure(connection, opts={
                "compare_type": False, "include_object": include_in_autogenerate})
            assert compare_metadata(context, db.metadata) == []
        db.engine.dispose()


def test_0002_gives_existing_conversations_an_empty_order_id_list(tmp_path, database_url):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as connection:
            _insert_old_shop(connection)
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


def test_0003_turns_the_old_status_into_an_outcome_and_back(tmp_path, database_url):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        upgrade(revision="0002")
        with db.engine.begin() as connection:
            _insert_old_shop(connection)
            for status in ("pending", "resolved", "escalated"):
                connection.execute(text(
                    "INSERT INTO conversations (shop_id, order_names, status, started_at, "
                    "message_count, llm_tokens_in, llm_tokens_out) "
                    f"VALUES (1, '[]', '{status}', CURRENT_TIMESTAMP, 0, 0, 0)"))
            connection.execute(text(
                "INSERT INTO messages (conversation_id, role, text, created_at, used_llm, "
                "tokens_in, tokens_out) SELECT id, 'shopper', 'hi', CURRENT_TIMESTAMP, false, 0, 0"
                " FROM conversations"))
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT outcome, details_delivered, llm_turns FROM conversations ORDER BY id"))
            assert [(row[0], bool(row[1]), row[2]) for row in rows] == [
                ("other", False, 0), ("answered", True, 0), ("escalated", False, 0)]
            # Rebuilding a table on SQLite must not cascade-delete the rows that reference it.
            assert connection.execute(text("SELECT count(*) FROM messages")).scalar_one() == 3
        downgrade(revision="0002")
        with db.engine.connect() as connection:
            assert list(connection.execute(text(
                "SELECT status FROM conversations ORDER BY id")).scalars()) == [
                "pending", "resolved", "escalated"]
            assert connection.execute(text("SELECT count(*) FROM messages")).scalar_one() == 3
        db.engine.dispose()


def _insert_old_shop(connection) -> None:
    connection.execute(text(
        "INSERT INTO shops (id, domain, scopes, plan, installed_at) "
        "VALUES (1, 'old.myshopify.com', '', 'free', CURRENT_TIMESTAMP)"))
