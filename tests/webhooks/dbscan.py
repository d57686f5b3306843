"""Look at every table in the database: which rows hang off a shop, which mention a value."""

from __future__ import annotations

import json

from sqlalchemy import MetaData, Table, inspect, select

from lumen.extensions import db


def _key(table, row) -> tuple:
    return tuple(row._mapping[column] for column in table.primary_key.columns)


def rows_reachable_from(table_name: str, ids: set) -> dict[str, set[tuple]]:
    """Primary keys of every row that points (through foreign keys, transitively) at ``ids``."""
    tables = {table.name: table for table in db.metadata.sorted_tables}
    reached = {table_name: {(value,) for value in ids}}
    changed = True
    while changed:
        changed = False
        for table in tables.values():
            for fk in table.foreign_keys:
                parents = reached.get(fk.column.table.name)
                if not parents:
                    continue
                rows = db.session.execute(select(table).where(
                    fk.parent.in_([key[0] for key in parents]))).all()
                new = {_key(table, row) for row in rows} - reached.setdefault(table.name, set())
                if new:
                    reached[table.name] |= new
                    changed = True
    return reached


def rows_still_present(reached: dict[str, set[tuple]]) -> dict[str, set[tuple]]:
    """Of the rows found by ``rows_reachable_from``, those still in the database."""
    tables = {table.name: table for table in db.metadata.sorted_tables}
    present = {}
    for name, keys in reached.items():
        table = tables[name]
        now = {_key(table, row) for row in db.session.execute(select(table)).all()}
        if keys & now:
            present[name] = keys & now
    return present


def tables_mentioning(*needles: str) -> dict[str, int]:
    """Every database table (models or not) whose rows contain one of ``needles``, with counts."""
    db.session.expire_all()
    found = {}
    for name in inspect(db.engine).get_table_names():
        table = Table(name, MetaData(), autoload_with=db.engine)
        rows = db.session.execute(select(table)).all()
        hits = sum(1 for row in rows
                   if any(needle in json.dumps(list(row), default=str) for needle in needles))
        if hits:
            found[name] = hits
    return found
