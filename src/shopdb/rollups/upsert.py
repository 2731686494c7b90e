"""Adding measures to rollup rows: the one upsert every rollup writer uses."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection

from shopdb.db.backend import backend_of


def add_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Add each row's measures to the stored row with its key, inserting it if absent."""
    if not rows:
        return
    keys = {c.name for c in table.primary_key.columns}
    measures = [name for name in rows[0] if name not in keys and name != "month_index"]
    conn.execute(backend_of(conn).insert_or_add(table, measures), rows)
