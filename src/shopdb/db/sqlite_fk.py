"""Which foreign key a SQLite ``FOREIGN KEY constraint failed`` error is about.

SQLite's message names no constraint, but SQLite itself can say which rows break which
key: ``PRAGMA foreign_key_check``. So the refused statement is run again, with its own
parameters, inside a savepoint with the foreign-key checks deferred to the end of the
transaction (``PRAGMA defer_foreign_keys``): it then succeeds, the check lists the rows
it left without a parent, and the savepoint is rolled back. Nothing is written.

What the replay cannot show is left unnamed unless the schema allows one answer:

- without a connection (the caller's transaction is already gone), only the statement's
  table is known: its foreign key is named when it has exactly one;
- a DELETE refused by an ``ON DELETE RESTRICT`` key fails again even deferred, since
  SQLite checks RESTRICT at once. So each key that can refuse it is asked instead, in
  name order: does a row refer to a row the DELETE's own WHERE clause (with its own
  parameters) selects? The first key that has one is named. Read in the refused
  statement's transaction, before the rollback, this sees exactly what SQLite saw;
- a key change refused the same way (an UPDATE) is named only when exactly one such
  key refers to the table.
"""

from __future__ import annotations

import re
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ForeignKeyConstraint, Table
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from shopdb.db.schema import metadata

_DELETE_WHERE = re.compile(r"^\s*DELETE\s+FROM\s+\"?\w+\"?\s+(WHERE\s.*)$", re.I | re.S)
_STATEMENT = re.compile(
    r"^\s*(INSERT|REPLACE|UPDATE|DELETE)\b(?:\s+OR\s+\w+)?(?:\s+INTO|\s+FROM)?\s+\"?(\w+)\"?",
    re.I,
)


@dataclass(frozen=True)
class Diagnosis:
    """What the statement tells: its table, and the foreign key if one could be named."""

    table: str | None
    name: str | None = None
    deleting: bool = False


def diagnose(statement: str, params: Any, conn: Connection | Engine | None) -> Diagnosis:
    """Name the foreign key behind a SQLite FOREIGN KEY failure of ``statement``.

    ``conn`` should be the connection that ran the statement, its transaction still
    open: the replay then sees the rows that transaction wrote before. With an engine the
    replay runs on a new connection; without either, nothing is replayed.
    """
    match = _STATEMENT.match(statement)
    table = metadata.tables.get(match.group(2)) if match else None
    if match is None or table is None:
        return Diagnosis(match.group(2) if match else None)
    deleting = match.group(1).upper() == "DELETE"
    if conn is None:
        return _from_schema(table, deleting)
    with ExitStack() as stack:
        looker = stack.enter_context(conn.connect()) if isinstance(conn, Engine) else conn
        if deleting:
            name = _referring_key(looker, statement, params, table)
            return Diagnosis(table.name, name, True) if name else _from_schema(table, True)
        broken = _replayed(looker, statement, params, table)
    if broken is None:  # refused again: a RESTRICT key checked at once
        return _from_schema(table, deleting=True)
    if not broken:
        return _from_schema(table, deleting)
    child, name = broken[0]
    return Diagnosis(table.name, name, deleting=child != table.name)


def _replayed(
    conn: Connection, statement: str, params: Any, table: Table
) -> list[tuple[str, str]] | None:
    """(child table, foreign key) of each row the statement leaves without a parent.

    None when the statement fails even with the checks deferred.
    """
    checked = [table, *_referencing(table)]
    savepoint = conn.begin_nested()
    try:
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        try:
            conn.exec_driver_sql(statement, params)
        except DBAPIError:
            return None
        found = []
        for child in checked:
            rows = conn.exec_driver_sql(f'PRAGMA foreign_key_check("{child.name}")').all()
            keys = _key_ids(conn, child)
            found += [(child.name, keys[int(row[3])]) for row in rows if int(row[3]) in keys]
        return found
    finally:
        savepoint.rollback()
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = OFF")


def _referring_key(conn: Connection, statement: str, params: Any, table: Table) -> str | None:
    """The first key, by name, that can refuse deleting from ``table`` and has a row
    referring to a row ``statement`` (a DELETE) selects; None if none has or the
    statement's WHERE clause cannot be reused."""
    where = _DELETE_WHERE.match(statement)
    if where is None:
        return None
    for fk in _restricting_keys(table):
        if len(fk.elements) != 1:
            continue
        element = fk.elements[0]
        probe = (
            f'SELECT 1 FROM "{fk.table.name}" WHERE "{element.parent.name}" IN '
            f'(SELECT "{element.column.name}" FROM "{table.name}" {where.group(1)}) LIMIT 1'
        )
        if conn.exec_driver_sql(probe, params).first() is not None:
            return str(fk.name)
    return None


def _key_ids(conn: Connection, table: Table) -> dict[int, str]:
    """SQLite's number for each foreign key of ``table`` (``foreign_key_list``'s id) -> name."""
    by_column = {str(fk.column_keys[0]): str(fk.name) for fk in _foreign_keys(table)}
    rows = conn.exec_driver_sql(f'PRAGMA foreign_key_list("{table.name}")').all()
    return {int(row[0]): by_column[row[3]] for row in rows if row[3] in by_column}


def _from_schema(table: Table, deleting: bool) -> Diagnosis:
    """The only foreign key that could have refused the statement, if there is one."""
    candidates = _restricting_keys(table) if deleting else _foreign_keys(table)
    name = str(candidates[0].name) if len(candidates) == 1 else None
    return Diagnosis(table.name, name, deleting)


def _foreign_keys(table: Table) -> list[ForeignKeyConstraint]:
    return sorted(
        (c for c in table.constraints if isinstance(c, ForeignKeyConstraint)),
        key=lambda fk: str(fk.name),
    )


def _referencing_keys(table: Table) -> list[ForeignKeyConstraint]:
    return [
        fk
        for child in metadata.sorted_tables
        for fk in _foreign_keys(child)
        if fk.referred_table is table
    ]


def _restricting_keys(table: Table) -> list[ForeignKeyConstraint]:
    """The keys referring to ``table`` that refuse a delete (every one but CASCADE)."""
    return [fk for fk in _referencing_keys(table) if (fk.ondelete or "").upper() != "CASCADE"]


def _referencing(table: Table) -> list[Table]:
    children = {fk.table.name: fk.table for fk in _referencing_keys(table)}
    return [children[name] for name in sorted(children) if name != table.name]
