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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Table
from sqlalchemy.engine import Connection, Engine

from shopdb.db.admin import require_schema
from shopdb.db.rows import Render, data_columns, read_chunks, render_chunk, renderers_for, utc_iso
from shopdb.db.schema import DATA_TABLES
from shopdb.db.snapshot import read_snapshot

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
    columns = data_columns(table)
    digest = hashlib.sha256()
    digest.update(("\t".join(c.name for c in columns) + "\n").encode())
    count = 0
    for chunk in read_chunks(conn, table):
        digest.update(render_rows(columns, chunk).encode())
        count += len(chunk)
    return TableChecksum(count, digest.hexdigest())


def combined_digest(checksums: dict[str, TableChecksum]) -> str:
    """One SHA-256 over every table's name, row count and digest, in the given order."""
    lines = "".join(f"{n}\t{c.row_count}\t{c.digest}\n" for n, c in checksums.items())
    return hashlib.sha256(lines.encode()).hexdigest()


def render_rows(columns: Sequence[Column[Any]], rows: Sequence[Sequence[Any]]) -> str:
    """The canonical text of ``rows``: one line per row, ``\\n``-terminated."""
    renderers, nullable = renderers_for(columns, _CANONICAL)
    return "".join("\t".join(row) + "\n" for row in render_chunk(renderers, nullable, NULL, rows))


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: str) -> str:
    return value.translate(_ESCAPES)


_CANONICAL: dict[str, Render] = {"int": str, "text": _text, "timestamp": utc_iso}
