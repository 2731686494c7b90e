"""Reading a table in chunks, and the column kinds every export format renders."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Row, Table, select
from sqlalchemy.engine import Connection
from sqlalchemy.types import Integer, String

from shopdb.db.types import UtcDateTime

CHUNK_ROWS = 10_000
"""Rows read and written at a time, so memory stays bounded on any table size."""

Render = Callable[[Any], str]


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


def utc_text(value: datetime) -> str:
    """A timestamp as ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC: what every backend (and
    SQLite's own storage) reads back as the same instant."""
    if value.utcoffset():  # UtcDateTime values are UTC already; others are converted
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]


def render_chunk(
    renderers: Sequence[Render], nullable: Sequence[bool], null: str, chunk: Sequence[Any]
) -> Iterator[tuple[str, ...]]:
    """Each row of ``chunk`` as a tuple of rendered values, NULL rendered as ``null``.

    Rendering goes column by column, so a NOT NULL integer column goes through ``str``
    at C speed instead of a Python call per value.
    """
    if not chunk:
        return iter(())
    columns = []
    for render, can_be_null, values in zip(
        renderers, nullable, zip(*chunk, strict=True), strict=True
    ):
        if can_be_null:
            columns.append([null if v is None else render(v) for v in values])
        else:
            columns.append(list(map(render, values)))
    return zip(*columns, strict=True)
