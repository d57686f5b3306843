"""SQL pieces the analytics queries share across PostgreSQL and SQLite.

A conversation is counted on the shop's local day and hour it started. PostgreSQL converts with
its own time zone database; SQLite has none, so the demo's SQLite connections get a function
that converts with Python's ``zoneinfo``. Both return the same text, ``YYYY-MM-DD HH``.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

SQLITE_FUNCTION = "lumen_local_hour"


class local_hour(FunctionElement):  # noqa: N801 - SQL function names are lower case
    """``local_hour(timestamp, zone)``: the local ``YYYY-MM-DD HH`` of a UTC timestamp."""

    type = String()
    inherit_cache = True
    name = "local_hour"


@compiles(local_hour, "postgresql")
def _local_hour_postgresql(element: local_hour, compiler: Any, **kw: Any) -> str:
    moment, zone = list(element.clauses)
    return (f"to_char(timezone({compiler.process(zone, **kw)}, {compiler.process(moment, **kw)}),"
            " 'YYYY-MM-DD HH24')")


@compiles(local_hour, "sqlite")
def _local_hour_sqlite(element: local_hour, compiler: Any, **kw: Any) -> str:
    return f"{SQLITE_FUNCTION}({compiler.process(element.clauses, **kw)})"


@event.listens_for(Engine, "connect")
def _register_sqlite_function(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function(SQLITE_FUNCTION, 2, sqlite_local_hour,
                                         deterministic=True)


def sqlite_local_hour(stored: str | None, zone: str) -> str | None:
    """SQLite's stored UTC timestamp text as the local ``YYYY-MM-DD HH`` in ``zone``."""
    if stored is None:
        return None
    moment = datetime.fromisoformat(stored).replace(tzinfo=UTC)
    return moment.astimezone(_zone(zone)).strftime("%Y-%m-%d %H")


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
