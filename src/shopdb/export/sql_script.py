"""An INSERT script for one dialect, loadable by the sqlite3, mysql or psql client.

The script sets what the client needs (UTF-8, backslash escapes on MySQL), runs in one
transaction, inserts each table's rows in multi-row INSERTs of ``BATCH_ROWS`` in
parent-first order, and on PostgreSQL moves each id sequence past the loaded ids so
new rows get fresh ids.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Table
from sqlalchemy.engine import Connection

from shopdb.db.dialects import dialect_named
from shopdb.export.values import TIMESTAMP_FORMAT, column_kind, export_columns, read_chunks

BATCH_ROWS = 500
"""Rows per INSERT: large enough to load fast, small enough for any packet limit."""

_PROLOGUE = {
    "sqlite": ["BEGIN;"],
    "mysql": [
        "SET NAMES utf8mb4;",
        # the literals below escape backslashes, so backslash escapes must be on
        "SET SESSION sql_mode = REPLACE(@@sql_mode, 'NO_BACKSLASH_ESCAPES', '');",
        "START TRANSACTION;",
    ],
    "postgresql": [
        "SET client_encoding = 'UTF8';",
        "SET standard_conforming_strings = on;",
        "BEGIN;",
    ],
}


def write_script(conn: Connection, tables: Sequence[Table], path: Path, dialect: str) -> int:
    """Write the INSERT script for ``tables`` (in that order); return the rows written."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(f"-- shopdb data for {dialect}: load into a database created by 'shopdb init'\n")
        out.write("\n".join(_PROLOGUE[dialect]) + "\n")
        for table in tables:
            count += _write_table(conn, table, out, dialect)
        if dialect == "postgresql":
            out.writelines(_sequence_reset(table) for table in tables)
        out.write("COMMIT;\n")
    return count


def _write_table(conn: Connection, table: Table, out: TextIO, dialect: str) -> int:
    quote = dialect_named(dialect).identifier_preparer.quote
    columns = export_columns(table)
    head = f"INSERT INTO {quote(table.name)} ({', '.join(quote(c.name) for c in columns)}) VALUES\n"
    literal = _LITERALS[dialect]
    renderers = [literal[column_kind(c)] for c in columns]
    count = 0
    for chunk in read_chunks(conn, table):
        for start in range(0, len(chunk), BATCH_ROWS):
            rows = [
                "(" + ", ".join(_render(r, v) for r, v in zip(renderers, row, strict=True)) + ")"
                for row in chunk[start : start + BATCH_ROWS]
            ]
            out.write(head + ",\n".join(rows) + ";\n")
        count += len(chunk)
    return count


def _render(render: Callable[[Any], str], value: Any) -> str:
    return "NULL" if value is None else render(value)


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
    return "'" + value.astimezone(UTC).strftime(TIMESTAMP_FORMAT) + "'"


_LITERALS: dict[str, dict[str, Callable[[Any], str]]] = {
    "sqlite": {"int": str, "text": _standard_text, "timestamp": _timestamp},
    "mysql": {"int": str, "text": _mysql_text, "timestamp": _timestamp},
    "postgresql": {"int": str, "text": _standard_text, "timestamp": _timestamp},
}
