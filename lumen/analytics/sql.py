"""SQL pieces the analytics queries share across PostgreSQL and SQLite.

A conversation is counted on the shop's local day and hour it started. PostgreSQL converts with
its own time zone database; SQLite has none, so the demo's SQLite connections get a function
that converts with Python's ``zoneinfo``. Both return the same text: ``YYYY-MM-DD HH`` for
`local_hour`, ``YYYY-MM-DD`` for `local_day`.
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

SQLITE_FUNCTION = "lumen_local_time"
# PostgreSQL's to_char pattern and Python's strftime pattern for the same text.
FORMATS = {"local_hour": ("YYYY-MM-DD HH24", "%Y-%m-%d %H"),
           "local_day": ("YYYY-MM-DD", "%Y-%m-%d")}


class local_hour(FunctionElement):  # noqa: N801 - SQL function names are lower case
    """``local_hour(timestamp, zone)``: the local ``YYYY-MM-DD HH`` of a UTC timestamp."""

    type = String()
    inherit_cache = True
    name = "local_hour"


class local_day(FunctionElement):  # noqa: N801 - SQL function names are lower case
    """``local_day(timestamp, zone)``: the local ``YYYY-MM-DD`` of a UTC timestamp."""

    type = String()
    inherit_cache = True
    name = "local_day"


@compiles(local_hour, "postgresql")
@compiles(local_day, "postgresql")
def _local_postgresql(element: FunctionElement, compiler: Any, **kw: Any) -> str:
    moment, zone = list(element.clauses)
    pattern = FORMATS[element.name][0]
    return (f"to_char(timezone({compiler.process(zone, **kw)}, {compiler.process(moment, **kw)}),"
            f" '{pattern}')")


@compiles(local_hour, "sqlite")
@compiles(local_day, "sqlite")
def _local_sqlite(element: FunctionElement, compiler: Any, **kw: Any) -> str:
    pattern = FORMATS[element.name][1]
    return f"{SQLITE_FUNCTION}({compiler.process(element.clauses, **kw)}, '{pattern}')"


@event.listens_for(Engine, "connect")
def _register_sqlite_function(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function(SQLITE_FUNCTION, 3, sqlite_local_time,
                                         deterministic=True)


def sqlite_local_time(stored: str | None, zone: str, pattern: str) -> str | None:
    """SQLite's stored UTC timestamp text in ``zone``, formatted with ``pattern``."""
    if stored is None:
        return None
    moment = datetime.fromisoformat(stored).replace(tzinfo=UTC)
    return moment.astimezone(_zone(zone)).strftime(pattern)


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
