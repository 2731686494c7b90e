"""Turn a backend's refusal of a write into a ``ConstraintViolation`` that names the rule.

Each backend reports a broken constraint differently:

- PostgreSQL puts the name in ``diag.constraint_name`` (NOT NULL: table and column).
- MariaDB names it in the message: duplicate key (1062, ``PRIMARY`` for primary keys),
  foreign key (1451 parent still referenced, 1452 no parent), CHECK (4025, raised as
  ``OperationalError``), NOT NULL (1048 explicit NULL, 1364 column left out).
- SQLite names CHECK constraints, gives ``table.column`` for UNIQUE, PRIMARY KEY and
  NOT NULL, and nothing at all for a FOREIGN KEY; ``sqlite_fk`` asks SQLite's own
  ``PRAGMA foreign_key_check``.

Classify by the name, never by the exception class: the same violation is an
``IntegrityError`` on one backend and an ``OperationalError`` on another.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import (
    CheckConstraint,
    Constraint,
    ForeignKeyConstraint,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.schema import ColumnCollectionConstraint

from shopdb.db import sqlite_fk
from shopdb.db.backend import MYSQL, POSTGRESQL, SQLITE, backend_of_error
from shopdb.db.schema import metadata
from shopdb.errors import ConstraintViolation

_NAMED: dict[str, tuple[Table, Constraint]] = {
    str(c.name): (t, c) for t in metadata.tables.values() for c in t.constraints if c.name
}
_QUOTED = r"[`\"']([^`\"']+)[`\"']"
_MYSQL_TABLE = re.compile(
    r'(?:INSERT\s+(?:IGNORE\s+)?INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)', re.I
)


def translate(
    exc: DBAPIError, conn: Connection | Engine | None = None
) -> ConstraintViolation | None:
    """The constraint violation ``exc`` reports, or None when it reports something else.

    Args:
        exc: the error SQLAlchemy raised for a refused statement.
        conn: only SQLite's foreign-key errors need it, to look up which referenced row
            is missing. Pass the connection that ran the statement while its transaction
            is still open; after a rollback, rows the transaction wrote earlier are gone
            and the lookup may name another foreign key of the same table.

    Nothing is written: the lookups only read.
    """
    backend = backend_of_error(exc)
    name = backend.name if backend is not None else None
    if name == POSTGRESQL:
        return _postgresql(exc)
    if name == MYSQL:
        return _mysql(exc)
    if name == SQLITE:
        return _sqlite(exc, conn)
    return None


@contextmanager
def violations_as_errors(conn: Connection | Engine | None = None) -> Iterator[None]:
    """Re-raise a constraint violation inside the block as ``ConstraintViolation``.

    Other database errors pass through unchanged.
    """
    try:
        yield
    except DBAPIError as exc:
        violation = translate(exc, conn)
        if violation is None:
            raise
        raise violation from exc


def violation_of(name: str, *, deleting: bool = False) -> ConstraintViolation:
    """A ``ConstraintViolation`` for the named constraint, explained from the schema.

    Args:
        name: a constraint in shopdb's metadata (or another name, reported as is).
        deleting: for a foreign key, the parent row was being deleted (or its key
            changed) while children still refer to it.
    """
    table, constraint = _NAMED.get(name, (None, None))
    if table is None or constraint is None:
        return ConstraintViolation(name, f"the database refused the write ({name})")
    return ConstraintViolation(name, f"{_rule(table, constraint, deleting)} (violates {name})")


def not_null(table: str, column: str) -> ConstraintViolation:
    """A ``ConstraintViolation`` for a NULL in a NOT NULL column (these have no name)."""
    return ConstraintViolation(f"{table}.{column}", f"{table}.{column} must not be null")


def _rule(table: Table, constraint: Constraint, deleting: bool) -> str:
    if not isinstance(constraint, ColumnCollectionConstraint):
        return f"{table.name} rows must satisfy {constraint.name}"
    columns = [f"{table.name}.{c.name}" for c in constraint.columns]
    listed = columns[0] if len(columns) == 1 else f"({', '.join(columns)})"
    if isinstance(constraint, (PrimaryKeyConstraint, UniqueConstraint)):
        return f"{listed} must be unique"
    if isinstance(constraint, ForeignKeyConstraint):
        parent = constraint.referred_table.name
        if deleting:
            return f"a {parent} row that {listed} refers to cannot be deleted or re-keyed"
        return f"{listed} must refer to an existing {parent} row"
    if isinstance(constraint, CheckConstraint):
        return f"{table.name} rows must satisfy: {' '.join(str(constraint.sqltext).split())}"
    return f"{table.name} rows must satisfy {constraint.name}"


def _postgresql(exc: DBAPIError) -> ConstraintViolation | None:
    diag = getattr(exc.orig, "diag", None)
    state = getattr(exc.orig, "sqlstate", None) or ""
    if diag is None or not state.startswith("23"):
        return None
    if state == "23502" and diag.table_name and diag.column_name:
        return not_null(diag.table_name, diag.column_name)
    if diag.constraint_name:
        return violation_of(diag.constraint_name, deleting=str(exc.orig).startswith("update or"))
    return None


def _mysql(exc: DBAPIError) -> ConstraintViolation | None:
    args: tuple[object, ...] = tuple(getattr(exc.orig, "args", ()))
    if len(args) < 2 or not isinstance(args[0], int):
        return None
    code, message = args[0], str(args[1])
    table = _statement_table(exc.statement)
    if code == 1062:
        key = re.search(r"for key " + _QUOTED + r"\s*$", message)
        if key is None:
            return None
        name = key.group(1).split(".")[-1]  # MySQL 8 writes 'table.key'
        return violation_of(f"pk_{table}" if name == "PRIMARY" else name)
    if code in (1451, 1452, 4025, 3819):
        named = re.search(r"CONSTRAINT " + _QUOTED, message, re.I) or re.search(
            r"Check constraint " + _QUOTED, message, re.I
        )
        return violation_of(named.group(1), deleting=code == 1451) if named else None
    if code in (1048, 1364) and table:
        column = re.search(r"(?:Column|Field) " + _QUOTED, message)
        return not_null(table, column.group(1)) if column else None
    return None


def _sqlite(exc: DBAPIError, conn: Connection | Engine | None) -> ConstraintViolation | None:
    message = str(exc.orig)
    kind, _, detail = message.partition(" constraint failed")
    detail = detail.lstrip(": ").strip()
    if kind == "CHECK":
        return violation_of(_sqlite_check_name(detail))
    if kind == "NOT NULL" and "." in detail:
        table, column = detail.split(".", 1)
        return not_null(table, column)
    if kind in ("UNIQUE", "PRIMARY KEY"):
        return _sqlite_unique(detail)
    if kind == "FOREIGN KEY":
        found = sqlite_fk.diagnose(exc.statement or "", exc.params, conn)
        if found.name is not None:
            return violation_of(found.name, deleting=found.deleting)
        if found.deleting and found.table:
            return ConstraintViolation(
                None, f"a {found.table} row that other rows refer to cannot be deleted or re-keyed"
            )
        return ConstraintViolation(None, f"{found.table or 'a'} foreign key refused the write")
    return None


def _sqlite_check_name(detail: str) -> str:
    if detail in _NAMED:
        return detail
    # SQLite before 3.26 reports an unnamed-looking check by its expression
    for name, (_, constraint) in _NAMED.items():
        if isinstance(constraint, CheckConstraint) and str(constraint.sqltext) == detail:
            return name
    return detail


def _sqlite_unique(detail: str) -> ConstraintViolation | None:
    pairs = [item.strip().split(".", 1) for item in detail.split(",")]
    if not pairs or any(len(pair) != 2 for pair in pairs):
        return None
    table = metadata.tables.get(pairs[0][0])
    if table is None:
        return None
    wanted = {column for _, column in pairs}
    for constraint in table.constraints:
        if isinstance(constraint, (PrimaryKeyConstraint, UniqueConstraint)) and wanted == {
            c.name for c in constraint.columns
        }:
            return violation_of(str(constraint.name))
    return ConstraintViolation(None, f"{detail} must be unique")


def _statement_table(statement: str | None) -> str | None:
    match = _MYSQL_TABLE.search(statement or "")
    return match.group(1) if match else None
