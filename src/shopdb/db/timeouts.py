"""A statement timeout for the queries on one connection, spelled per backend.

- PostgreSQL: ``SET LOCAL statement_timeout`` (ends with the transaction); a cancelled
  query raises SQLSTATE 57014.
- MariaDB: ``SET SESSION max_statement_time`` (seconds, fractions allowed), set back to
  0 afterwards; a cancelled query raises error 1969. (MySQL spells it
  ``max_execution_time``, in milliseconds, error 3024.)
- SQLite has no statement timeout: a progress handler, called every few thousand virtual
  machine steps, interrupts the statement once the deadline has passed
  (``OperationalError: interrupted``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from shopdb.db.backend import MYSQL, POSTGRESQL, backend_name

_SQLITE_STEPS = 1000


@contextmanager
def statement_timeout(conn: Connection, seconds: float) -> Iterator[None]:
    """Cut off any statement ``conn`` runs in this block after ``seconds``.

    PostgreSQL needs a transaction to be open on ``conn`` (the setting is ``LOCAL``).
    """
    name = backend_name(conn)
    if name == POSTGRESQL:
        conn.exec_driver_sql(f"SET LOCAL statement_timeout = {max(1, int(seconds * 1000))}")
        yield
    elif name == MYSQL:
        variable = "max_statement_time" if _is_mariadb(conn) else "max_execution_time"
        value = f"{seconds:.6f}" if variable == "max_statement_time" else str(int(seconds * 1000))
        conn.exec_driver_sql(f"SET SESSION {variable} = {value}")
        try:
            yield
        finally:
            conn.exec_driver_sql(f"SET SESSION {variable} = 0")
    else:
        raw: Any = conn.connection.dbapi_connection
        deadline = time.monotonic() + seconds
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline), _SQLITE_STEPS)
        try:
            yield
        finally:
            raw.set_progress_handler(None, 0)


def _is_mariadb(conn: Connection) -> bool:
    return bool(getattr(conn.dialect, "is_mariadb", False))


def is_timeout(exc: DBAPIError) -> bool:
    """Whether ``exc`` reports a statement cut off by ``statement_timeout``."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == "57014":
        return True
    args = getattr(orig, "args", ())
    if args and isinstance(args[0], int):
        return args[0] in (1969, 3024)
    return "interrupted" in str(orig).lower()
