"""An INSERT script for one dialect, loadable by the sqlite3, mysql or psql client.

The script sets what the client needs (UTF-8, backslash escapes on MySQL), runs in one
transaction, inserts each table's rows in multi-row INSERTs of ``BATCH_ROWS`` in
parent-first order, and on PostgreSQL moves each id sequence past the loaded ids so
new rows get fresh ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TextIO

from sqlalchemy import Table
from sqlalchemy.engine import Connection

from shopdb.db.backend import backend_named
from shopdb.db.rows import (
    Render,
    data_columns,
    read_chunks,
    render_chunk,
    renderers_for,
    utc_text,
)

BATCH_ROWS = 500
"""Rows per INSERT: large enough to load fast, small enough for any packet limit."""


def write_script(conn: Connection, tables: Sequence[Table], path: Path, dialect: str) -> int:
    """Write the INSERT script for ``tables`` (in that order); return the rows written."""
    backend = backend_named(dialect)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(f"-- shopdb data for {dialect}: load into a database created by 'shopdb init'\n")
        out.write("\n".join(backend.script_prologue) + "\n")
        for table in tables:
            count += _write_table(conn, table, out, dialect)
        if backend.resets_sequences:
            out.writelines(_sequence_reset(table) for table in tables)
        out.write("COMMIT;\n")
    return count


def _write_table(conn: Connection, table: Table, out: TextIO, dialect: str) -> int:
    backend = backend_named(dialect)
    quote = backend.dialect().identifier_preparer.quote
    columns = data_columns(table)
    head = f"INSERT INTO {quote(table.name)} ({', '.join(quote(c.name) for c in columns)}) VALUES\n"
    renderers, nullable = renderers_for(
        columns, _ESCAPING if backend.escapes_backslashes else _STANDARD
    )
    count = 0
    for chunk in read_chunks(conn, table):
        rows = [
            "(" + ", ".join(row) + ")" for row in render_chunk(renderers, nullable, "NULL", chunk)
        ]
        for start in range(0, len(rows), BATCH_ROWS):
            out.write(head + ",\n".join(rows[start : start + BATCH_ROWS]) + ";\n")
        count += len(chunk)
    return count


def _sequence_reset(table: Table) -> str:
    column = table.autoincrement_column
    if column is None:
        return ""
    name, key = table.name, column.name
    return (
        f"SELECT setval(pg_get_serial_sequence('{name}', '{key}'), max({key})) "
        f"FROM {name} HAVING max({key}) IS NOT NULL;\n"
    )


def _standard_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


_MYSQL_ESCAPES = str.maketrans({"\\": "\\\\", "'": "''", "\0": "\\0"})


def _mysql_text(value: str) -> str:
    return "'" + value.translate(_MYSQL_ESCAPES) + "'"


def _timestamp(value: datetime) -> str:
    return "'" + utc_text(value) + "'"


_STANDARD: dict[str, Render] = {"int": str, "text": _standard_text, "timestamp": _timestamp}
_ESCAPING: dict[str, Render] = {"int": str, "text": _mysql_text, "timestamp": _timestamp}
