"""A read-only view of the whole database at one moment, for audits and exports."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection, Engine

from shopdb.db.backend import backend_of


@contextmanager
def read_snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction that is rolled back at the end.

    On MariaDB and PostgreSQL the transaction is REPEATABLE READ, so every statement
    sees the same committed state; SQLite's read transaction is already a snapshot.
    Nothing done through the connection is kept.
    """
    with engine.connect() as conn:
        isolation = backend_of(engine).snapshot_isolation
        # MariaDB's sessions are REPEATABLE READ already: setting it again, and back on
        # the way to the pool, would cost two statements and two commits per read
        if isolation is not None and conn.default_isolation_level != isolation:
            conn.execution_options(isolation_level=isolation)
        with conn.begin() as transaction:
            try:
                yield conn
            finally:
                if transaction.is_active:
                    transaction.rollback()
