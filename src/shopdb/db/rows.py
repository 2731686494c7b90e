"""Reading a table's stored rows canonically, and the text forms every reader renders.

The checksum, the CSV, Parquet and SQL exports and the audit's samples all read a table
the same way: its data columns (computed ones are derived, so left out), in primary-key
order, ``CHUNK_ROWS`` at a time; and they render the three kinds of value the schema
holds (``int``, ``text``, ``timestamp``) with the functions here, column by column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Column, Row, Table, select
from sqlalchemy.engine import Connection
from sqlalchemy.types import Integer, String

from shopdb.db.types import UtcDateTime

CHUNK_ROWS = 10_000
"""Rows read at a time, so memory stays bounded on any table size."""

Kind = Literal["int", "text", "timestamp"]
Render = Callable[[Any], str]


def data_columns(table: Table) -> list[Column[Any]]:
    """The columns that hold data: all but computed ones (the database derives those)."""
    return [c for c in table.columns if c.computed is None]


def column_kind(column: Column[Any]) -> Kind:
    """``int``, ``text`` or ``timestamp``: the three kinds of value the schema holds.

    Raises:
        TypeError: a column of another type (a schema change this module must learn).
    """
    if isinstance(column.type, UtcDateTime):
        return "timestamp"
    if isinstance(column.type, String):
        return "text"
    if isinstance(column.type, Integer):
        return "int"
    raise TypeError(f"no canonical rendering for {column} of type {column.type}")


def read_chunks(conn: Connection, table: Table) -> Iterator[Sequence[Row[Any]]]:
    """The table's data columns in primary-key order, ``CHUNK_ROWS`` rows at a time."""
    query = select(*data_columns(table)).order_by(*table.primary_key.columns)
    result = conn.execute(query, execution_options={"yield_per": CHUNK_ROWS})
    yield from result.partitions()


def as_utc(value: datetime) -> datetime:
    """The same instant in UTC (``UtcDateTime`` values already are)."""
    return value.astimezone(UTC) if value.utcoffset() else value


def utc_text(value: datetime) -> str:
    """A timestamp as ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC: what every backend (and
    SQLite's own storage) reads back as the same instant."""
    return as_utc(value).isoformat(" ", "microseconds")[:26]


def utc_iso(value: datetime) -> str:
    """A timestamp as ISO 8601 in UTC with its offset: ``YYYY-MM-DDTHH:MM:SS.ffffff+00:00``."""
    return as_utc(value).isoformat(timespec="microseconds")


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


def renderers_for(
    columns: Sequence[Column[Any]], by_kind: dict[str, Render]
) -> tuple[list[Render], list[bool]]:
    """Each column's renderer (chosen by its kind) and whether it may hold NULL."""
    return [by_kind[column_kind(c)] for c in columns], [bool(c.nullable) for c in columns]
