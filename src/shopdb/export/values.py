"""Reading a table in chunks, and the column kinds every export format renders."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Column, Row, Table, select
from sqlalchemy.engine import Connection
from sqlalchemy.types import Integer, String

from shopdb.db.types import UtcDateTime

CHUNK_ROWS = 10_000
"""Rows read and written at a time, so memory stays bounded on any table size."""

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f"
"""UTC timestamps as every backend (and SQLite's storage) reads them back."""


def export_columns(table: Table) -> list[Column[Any]]:
    """The columns an export holds: all but computed ones (the database derives those)."""
    return [c for c in table.columns if c.computed is None]


def column_kind(column: Column[Any]) -> str:
    """``int``, ``text`` or ``timestamp``: the three kinds of value the schema holds."""
    if isinstance(column.type, UtcDateTime):
        return "timestamp"
    if isinstance(column.type, String):
        return "text"
    if isinstance(column.type, Integer):
        return "int"
    raise TypeError(f"no export rendering for {column} of type {column.type}")


def read_chunks(conn: Connection, table: Table) -> Iterator[Sequence[Row[Any]]]:
    """The table's rows in primary-key order, ``CHUNK_ROWS`` at a time, streamed."""
    columns = export_columns(table)
    query = select(*columns).order_by(*table.primary_key.columns)
    result = conn.execute(query, execution_options={"yield_per": CHUNK_ROWS})
    yield from result.partitions()
