"""Opening an engine from settings, with each backend's session, and errors a user can act on.

The session settings are ``db.backend``'s: SQLite gets foreign keys on, WAL, a busy
timeout, and transactions shopdb begins itself (so a writer can ask for
``BEGIN IMMEDIATE``); MariaDB/MySQL strict ``sql_mode``, UTC, utf8mb4, ``LOAD DATA
LOCAL`` allowed; PostgreSQL UTC and no JIT compilation. All of it is sent once, when a
connection is made, never per transaction. A pooled connection is pinged on checkout
only when it sat idle for ``PING_AFTER_IDLE_S``: a busy connection is not paying a round
trip per checkout for a check that a connection used a moment ago passes.
``open_engine`` is what a front end (the CLI group, the API's lifespan) calls.
"""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pymysql.constants import SERVER_STATUS
from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.pool import PoolResetState

from shopdb.db.backend import MYSQL, SQLITE, Backend, backend_of
from shopdb.errors import ConfigError, ConnectError, SchemaError

if TYPE_CHECKING:
    from shopdb.config import Settings

IMMEDIATE = "shopdb_immediate"
"""Execution option: on SQLite, begin with ``BEGIN IMMEDIATE`` (take the write lock)."""

PING_AFTER_IDLE_S = 10.0
"""A server connection idle in the pool for longer than this is pinged before it is
handed out (a dead one is replaced); one used more recently is handed out as it is."""


def open_engine(settings: Settings, *, create: bool = False, **options: Any) -> Engine:
    """The engine for ``settings.database_url``, connected once so a bad server fails early.

    A SQLite file that does not exist yet is created only when ``create`` is set;
    otherwise it is refused, and no empty file is left behind. ``options`` go to
    ``create_engine`` (pool sizes and the like).

    Raises:
        SchemaError: the SQLite file does not exist and ``create`` is not set.
        ConnectError: the server is unreachable, the database does not exist or the
            credentials are refused; the engine is disposed of.
        ConfigError: the URL names a backend shopdb does not support.
    """
    url = settings.database_url
    _require_sqlite_file(url, create)
    engine = make_engine(url, **options)
    try:
        check_connection(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _require_sqlite_file(url: URL, create: bool) -> None:
    if create or url.get_backend_name() != SQLITE or url.database in (None, "", ":memory:"):
        return
    if not Path(url.database).exists():
        raise SchemaError(
            f"no SQLite database at {url.database}: run 'shopdb init' or 'shopdb demo' first"
        )


def make_engine(url: URL, *, ping_after_idle_s: float = PING_AFTER_IDLE_S, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` with shopdb's per-backend settings.

    No connection is made here; ``open_engine`` also checks the connection. On a server,
    ``ping_after_idle_s`` is how long a pooled connection may sit unused before a checkout
    pings it; passing ``pool_pre_ping`` instead decides for every checkout (``False``:
    never ping, as the OLTP benchmark does).

    Raises:
        ConfigError: the URL names a backend shopdb does not support.
    """
    try:
        backend = backend_of(url)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    if backend.name == SQLITE:
        return _sqlite_engine(url, backend, **kwargs)
    connect_args = dict(backend.connect_args)
    ping_when_idle = "pool_pre_ping" not in kwargs
    if backend.name == MYSQL:
        kwargs.setdefault("pool_reset_on_return", None)
    engine = create_engine(url, connect_args=connect_args, **kwargs)
    if backend.name == MYSQL:
        event.listen(engine, "reset", _rollback_if_in_transaction)
    if ping_when_idle:
        _ping_when_idle(engine, ping_after_idle_s)
    return engine


def _ping_when_idle(engine: Engine, idle_s: float) -> None:
    """Ping a pooled connection on checkout only if it sat idle for more than ``idle_s``.

    The pool's own pre-ping costs a round trip on every checkout, as much as a rollup
    query itself. What it guards against (a server restarted, a connection closed by
    the server's or a firewall's idle timeout) happens to connections left idle; a
    connection that breaks while in use raises a disconnect error, after which
    SQLAlchemy discards every connection the pool held before it.
    """

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["shopdb_checked_in_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        checked_in_at = record.info.get("shopdb_checked_in_at")
        if checked_in_at is None or time.monotonic() - checked_in_at <= idle_s:
            return  # new, or used a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            # the pool replaces this connection with a new one and hands that out
            raise DisconnectionError(f"pooled connection failed its ping: {exc}") from exc


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


def _sqlite_engine(url: URL, backend: Backend, **kwargs: Any) -> Engine:
    kwargs.setdefault("connect_args", {}).update(backend.connect_args)
    engine = create_engine(url, **kwargs)
    statements = backend.session_statements
    if url.database and url.database != ":memory:":
        statements += backend.file_session_statements

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # pysqlite's own BEGIN handling is switched off so the "begin" hook below
        # decides how each transaction starts
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for statement in statements:
            cursor.execute(statement)
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
    backend = backend_of(url)
    server = f"{url.host}:{url.port or backend.default_port or ''}"
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
    if backend.name == SQLITE and isinstance(exc, OperationalError):
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
