"""Checks that the database and Redis answer."""

from __future__ import annotations

from sqlalchemy import text

from lumen.extensions import db
from lumen.queue import get_redis


def _database_status() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except Exception as error:  # noqa: BLE001 - any failure means "down"
        db.session.rollback()
        return f"error: {type(error).__name__}"


def _redis_status() -> str:
    try:
        get_redis().ping()
        return "ok"
    except Exception as error:  # noqa: BLE001 - any failure means "down"
        return f"error: {type(error).__name__}"


def check_health() -> dict[str, str]:
    """Status of each dependency plus an overall ``ok`` or ``degraded``."""
    report = {"database": _database_status(), "redis": _redis_status()}
    report["status"] = "ok" if all(value == "ok" for value in report.values()) else "degraded"
    return report
