"""Engines with each backend's settings, and connection errors a user can act on.

SQLite: foreign keys on, WAL, a busy timeout, and transactions shopdb begins itself
(so a writer can ask for ``BEGIN IMMEDIATE``). MariaDB/MySQL: strict ``sql_mode``,
UTC, utf8mb4, ``LOAD DATA LOCAL`` allowed. PostgreSQL: UTC.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from pymysql.constants import SERVER_STATUS
from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import PoolResetState

from shopdb.errors import ConnectError

SQLITE_BUSY_TIMEOUT_MS = 30_000
MYSQL_SQL_MODE = (
    "STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
    "NO_ENGINE_SUBSTITUTION,ONLY_FULL_GROUP_BY,PIPES_AS_CONCAT,ANSI_QUOTES"
)
_DEFAULT_PORTS = {"mysql": 3306, "mariadb": 3306, "postgresql": 5432}
IMMEDIATE = "shopdb_immediate"
"""Execution option: on SQLite, begin with ``BEGIN IMMEDIATE`` (take the write lock)."""


def make_engine(url: URL, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` with shopdb's per-backend settings.

    No connection is made here; call ``check_connection`` to fail early and clearly.
    """
    backend = url.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url, **kwargs)
    if backend in ("mysql", "mariadb"):
        connect_args = {
            "charset": "utf8mb4",
            "local_infile": True,
            "init_command": f"SET SESSION sql_mode='{MYSQL_SQL_MODE}', time_zone='+00:00'",
        }
        kwargs.setdefault("pool_pre_ping", True)
        kwargs.setdefault("pool_reset_on_return", None)
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        event.listen(engine, "reset", _rollback_if_in_transaction)
        return engine
    if backend == "postgresql":
        connect_args = {"options": "-c TimeZone=UTC"}
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(url, connect_args=connect_args, **kwargs)
    raise ValueError(f"unsupported backend {backend}")


def _rollback_if_in_transaction(dbapi_connection: Any, _record: Any, state: PoolResetState) -> None:
    """Reset a MySQL connection on its way back to the pool without a wasted round trip.

    The pool's default reset sends ROLLBACK on every check-in, even after a COMMIT;
    PyMySQL, unlike psycopg and sqlite3, sends it to the server every time. The server
    reports in every reply whether a transaction is open, so only then is one needed.
    """
    if state.terminate_only:
        return  # the connection is being discarded, not reused
    status = dbapi_connection.server_status
    if status is None or status & SERVER_STATUS.SERVER_STATUS_IN_TRANS:
        dbapi_connection.rollback()


def _sqlite_engine(url: URL, **kwargs: Any) -> Engine:
    kwargs.setdefault("connect_args", {})["timeout"] = SQLITE_BUSY_TIMEOUT_MS / 1000
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # pysqlite's own BEGIN handling is switched off so the "begin" hook below
        # decides how each transaction starts
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if url.database and url.database != ":memory:":
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def check_connection(engine: Engine) -> None:
    """Open one connection, turning the driver's error into a one-line ``ConnectError``."""
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        raise ConnectError(describe_connect_error(engine.url, exc)) from None


def describe_connect_error(url: URL, exc: DBAPIError) -> str:
    """Say which of unreachable, missing database or bad credentials went wrong."""
    where = url.render_as_string(hide_password=True)
    server = f"{url.host}:{url.port or _DEFAULT_PORTS.get(url.get_backend_name(), '')}"
    message = str(exc.orig) if exc.orig is not None else str(exc)
    lowered = message.lower()
    code = _mysql_errno(exc)
    if code == 1049 or re.search(r'database ".*" does not exist', lowered):
        return f"database {url.database!r} does not exist on {server}"
    if code in (1044, 1045, 1698) or re.search(
        r"authentication failed|role .* does not exist", lowered
    ):
        return f"the server refused the credentials for {url.username!r} ({where})"
    if code in (2002, 2003, 2005, 2006, 2013) or re.search(_UNREACHABLE, lowered):
        return f"cannot reach the database server at {server} ({where})"
    if url.get_backend_name() == "sqlite" and isinstance(exc, OperationalError):
        return f"cannot open the SQLite database {url.database!r}: {_first_line(message)}"
    return f"cannot connect to {where}: {_first_line(message)}"


_UNREACHABLE = (
    r"connection refused|could not translate host|name or service not known|timeout"
    r"|no route to host|connection timed out"
)


def _mysql_errno(exc: DBAPIError) -> int | None:
    args = getattr(exc.orig, "args", ())
    if args and isinstance(args[0], int):
        return args[0]
    match = re.match(r"\((\d+),", str(exc.orig))
    return int(match.group(1)) if match else None


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "unknown error"
