"""Which foreign key a SQLite ``FOREIGN KEY constraint failed`` error is about.

SQLite's message names no constraint. The failed statement and its parameters do say
enough: an INSERT or UPDATE gave a foreign-key column a value with no parent row, or a
DELETE hit a parent that a RESTRICT foreign key still refers to (possibly through a
CASCADE: deleting an order deletes its items, and so on). This module reads the
statement's table and values, matches them against shopdb's ``MetaData``, and looks the
parent or child rows up. It only reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ForeignKeyConstraint, Table, exists, select
from sqlalchemy.engine import Connection, Engine

from shopdb.db.schema import metadata

_INSERT = re.compile(
    r"^\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+\"?(\w+)\"?\s*\(([^)]*)\)\s*VALUES\s*(.*)$", re.I | re.S
)
_UPDATE = re.compile(r"^\s*UPDATE\s+\"?(\w+)\"?\s+SET\s+(.*?)(?:\s+WHERE\s+.*)?$", re.I | re.S)
_DELETE = re.compile(r"^\s*DELETE\s+FROM\s+\"?(\w+)\"?(\s+WHERE\s+.*)?$", re.I | re.S)
_MAX_CASCADE_DEPTH = 4


@dataclass(frozen=True)
class Diagnosis:
    """What the statement tells: its table, and the foreign key if one could be named."""

    table: str | None
    name: str | None = None
    deleting: bool = False


def diagnose(statement: str, params: Any, conn: Connection | Engine | None) -> Diagnosis:
    """Name the foreign key behind a SQLite FOREIGN KEY failure of ``statement``.

    With ``conn`` the parent (or child) rows are looked up; without it a foreign key is
    named only when the statement's table has a single candidate.
    """
    for pattern, handler in ((_INSERT, _insert), (_UPDATE, _update), (_DELETE, _delete)):
        match = pattern.match(statement)
        if match:
            table = metadata.tables.get(match.group(1))
            if table is None:
                return Diagnosis(match.group(1))
            with ExitStack() as stack:
                looker = stack.enter_context(conn.connect()) if isinstance(conn, Engine) else conn
                return handler(table, match, _rows_of(params), looker)
    return Diagnosis(None)


def _rows_of(params: Any) -> list[tuple[Any, ...]]:
    if isinstance(params, tuple):
        return [params]
    if isinstance(params, list) and all(isinstance(p, tuple) for p in params):
        return list(params)
    return []


def _insert(
    table: Table, match: re.Match[str], rows: list[tuple[Any, ...]], conn: Connection | None
) -> Diagnosis:
    columns = [c.strip().strip('"') for c in match.group(2).split(",")]
    groups = re.findall(r"\(([^()]*)\)", match.group(3))
    if not groups or any(g.replace(" ", "") != ",".join("?" * len(columns)) for g in groups):
        return _only_candidate(table, set(columns))
    width = len(columns)
    flat = [value for row in rows for value in row]
    values = [
        dict(zip(columns, flat[i : i + width], strict=True)) for i in range(0, len(flat), width)
    ]
    return _missing_parent(table, values, conn)


def _update(
    table: Table, match: re.Match[str], rows: list[tuple[Any, ...]], conn: Connection | None
) -> Diagnosis:
    values: list[dict[str, Any]] = []
    for row in rows:
        assigned: dict[str, Any] = {}
        position = 0
        for assignment in _split_top_level(match.group(2)):
            column, _, expression = assignment.partition("=")
            if expression.strip() == "?" and position < len(row):
                assigned[column.strip().strip('"')] = row[position]
            position += expression.count("?")
        values.append(assigned)
    found = _missing_parent(table, values, conn)
    if found.name is None and not any(set(v) & _fk_columns(table) for v in values):
        # no foreign-key column was set, so the statement re-keyed a referenced parent
        return Diagnosis(table.name, _only_referencing(table), deleting=True)
    return found


def _delete(
    table: Table, match: re.Match[str], rows: list[tuple[Any, ...]], conn: Connection | None
) -> Diagnosis:
    if conn is None or len(rows) > 1:
        return Diagnosis(table.name, _only_referencing(table), deleting=True)
    key = _single_key(table)
    where = match.group(2) or ""
    # the WHERE clause keeps the statement's "?" placeholders and takes the same values
    found = conn.exec_driver_sql(f"SELECT {key} FROM {table.name}{where}", rows[0] if rows else ())
    doomed = [row[0] for row in found]
    return Diagnosis(table.name, _restricting(conn, table, doomed, 0), deleting=True)


def _missing_parent(
    table: Table, values: list[dict[str, Any]], conn: Connection | None
) -> Diagnosis:
    given = {column for row in values for column in row}
    candidates = [fk for fk in _foreign_keys(table) if _fk_column(fk) in given]
    if conn is None or not candidates:
        return _only_candidate(table, given)
    for fk in candidates:
        parent_column = fk.elements[0].column
        for row in values:
            value = row.get(_fk_column(fk))
            if value is None:
                continue
            found = conn.execute(select(exists().where(parent_column == value))).scalar()
            if not found:
                return Diagnosis(table.name, str(fk.name))
    return _only_candidate(table, given)


def _restricting(conn: Connection, parent: Table, keys: Sequence[Any], depth: int) -> str | None:
    """The first foreign key that refuses deleting ``keys`` of ``parent``, cascades followed."""
    if not keys or depth > _MAX_CASCADE_DEPTH:
        return None
    for child in metadata.sorted_tables:
        for fk in _foreign_keys(child):
            if fk.referred_table is not parent:
                continue
            column = child.c[_fk_column(fk)]
            rule = (fk.ondelete or "NO ACTION").upper()
            if rule in ("RESTRICT", "NO ACTION"):
                if conn.execute(select(exists().where(column.in_(keys)))).scalar():
                    return str(fk.name)
            elif rule == "CASCADE":
                child_key = child.c[_single_key(child)]
                nested = conn.execute(select(child_key).where(column.in_(keys))).scalars().all()
                name = _restricting(conn, child, nested, depth + 1)
                if name is not None:
                    return name
    return None


def _only_candidate(table: Table, columns: set[str]) -> Diagnosis:
    candidates = [fk for fk in _foreign_keys(table) if _fk_column(fk) in columns]
    return Diagnosis(table.name, str(candidates[0].name) if len(candidates) == 1 else None)


def _only_referencing(table: Table) -> str | None:
    referencing = [
        fk
        for child in metadata.tables.values()
        for fk in _foreign_keys(child)
        if fk.referred_table is table and (fk.ondelete or "").upper() != "CASCADE"
    ]
    return str(referencing[0].name) if len(referencing) == 1 else None


def _foreign_keys(table: Table) -> list[ForeignKeyConstraint]:
    return sorted(
        (c for c in table.constraints if isinstance(c, ForeignKeyConstraint)),
        key=lambda fk: str(fk.name),
    )


def _fk_column(fk: ForeignKeyConstraint) -> str:
    return str(fk.column_keys[0])


def _fk_columns(table: Table) -> set[str]:
    return {_fk_column(fk) for fk in _foreign_keys(table)}


def _single_key(table: Table) -> str:
    return str(next(iter(table.primary_key.columns)).name)


def _split_top_level(assignments: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, char in enumerate(assignments):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(assignments[start:i])
            start = i + 1
    parts.append(assignments[start:])
    return parts
