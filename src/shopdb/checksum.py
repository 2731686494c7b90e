"""Row counts and content checksums per table, equal on every backend for equal data.

Each data table's rows are read in primary-key order and rendered canonically, one line
per row: values separated by a tab, ``\\N`` for NULL, integers in decimal, strings with
backslash, tab, newline and carriage return escaped, timestamps in UTC as
``YYYY-MM-DDTHH:MM:SS.ffffff+00:00``. The digest is the SHA-256 of a header line (the column
names) followed by those lines, so it does not depend on the backend, the driver or how
the rows were fetched. Computed columns (``categories.parent_key``) are derived from
others and left out; ``generation_runs`` and ``alembic_version`` describe a load, not
the shop, so they are not part of the checksum.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Table, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.types import Integer, String

from shopdb.db.admin import require_schema
from shopdb.db.schema import DATA_TABLES
from shopdb.db.snapshot import read_snapshot
from shopdb.db.types import UtcDateTime

CHUNK_ROWS = 10_000
"""Rows fetched and hashed at a time: memory stays bounded however large a table is."""

NULL = "\\N"


@dataclass(frozen=True)
class TableChecksum:
    """A table's row count and the hex SHA-256 of its canonical content."""

    row_count: int
    digest: str


def table_checksums(
    engine: Engine, tables: Sequence[Table] = DATA_TABLES
) -> dict[str, TableChecksum]:
    """Checksum each table (by default every data table), in one read-only snapshot.

    Raises:
        SchemaError: the database holds no (or an incomplete) shopdb schema.
    """
    with read_snapshot(engine) as conn:
        require_schema(conn)
        return {table.name: table_checksum(conn, table) for table in tables}


def table_checksum(conn: Connection, table: Table) -> TableChecksum:
    """Checksum one table's rows in primary-key order, streamed in chunks."""
    columns = checksum_columns(table)
    digest = hashlib.sha256()
    digest.update(("\t".join(c.name for c in columns) + "\n").encode())
    count = 0
    query = select(*columns).order_by(*table.primary_key.columns)
    rows = conn.execute(query, execution_options={"yield_per": CHUNK_ROWS})
    for chunk in rows.partitions():
        digest.update(render_rows(columns, chunk).encode())
        count += len(chunk)
    return TableChecksum(count, digest.hexdigest())


def combined_digest(checksums: dict[str, TableChecksum]) -> str:
    """One SHA-256 over every table's name, row count and digest, in the given order."""
    lines = "".join(f"{n}\t{c.row_count}\t{c.digest}\n" for n, c in checksums.items())
    return hashlib.sha256(lines.encode()).hexdigest()


def checksum_columns(table: Table) -> list[Column[Any]]:
    """The columns that hold data: every column except computed ones."""
    return [c for c in table.columns if c.computed is None]


def render_rows(columns: Sequence[Column[Any]], rows: Sequence[Sequence[Any]]) -> str:
    """The canonical text of ``rows``: one line per row, ``\\n``-terminated."""
    if not rows:
        return ""
    renderers = [_renderer(c) for c in columns]
    # column by column, so plain integer columns go through str() at C speed
    by_column = zip(renderers, zip(*rows, strict=True), strict=True)
    rendered = [list(map(render, values)) for render, values in by_column]
    return "".join(line + "\n" for line in map("\t".join, zip(*rendered, strict=True)))


def _renderer(column: Column[Any]) -> Callable[[Any], str]:
    render: Callable[[Any], str]
    if isinstance(column.type, UtcDateTime):
        render = _timestamp
    elif isinstance(column.type, String):
        render = _text
    elif isinstance(column.type, Integer):
        render = str
    else:
        raise TypeError(f"no canonical rendering for {column} of type {column.type}")
    if column.nullable:
        return lambda value: NULL if value is None else render(value)
    return render


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: str) -> str:
    return value.translate(_ESCAPES)
