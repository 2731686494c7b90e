"""Connections going back to the pool: open transactions end there, finished ones cost
nothing; a connection that idled is pinged when taken out again, a busy one is not."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import URL, Connection, Engine

import shopdb.db.engine as engine_module
from shopdb.db.admin import init_schema
from shopdb.db.engine import make_engine
from shopdb.db.schema import users


@pytest.fixture
def one_connection(db_url: URL) -> Iterator[Engine]:
    """An engine whose pool holds exactly one connection, so each checkout reuses it."""
    engine = make_engine(db_url, pool_size=1, max_overflow=0, pool_pre_ping=False)
    init_schema(engine)
    yield engine
    engine.dispose()


def _add_user(conn: Connection, email: str) -> None:
    conn.execute(
        insert(users).values(email=email, first_name="Pool", last_name="Test", country_code="FR")
    )


def _user_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(users)).scalar_one())


def test_a_connection_returned_mid_transaction_loses_its_uncommitted_writes(
    one_connection: Engine, backend: str
) -> None:
    raw = one_connection.raw_connection()
    cursor = raw.cursor()
    if backend == "sqlite":
        cursor.execute("BEGIN")  # shopdb's SQLite connections begin transactions explicitly
    cursor.execute(
        "INSERT INTO users (email, first_name, last_name, country_code) "
        "VALUES ('left@example.com', 'Pool', 'Test', 'FR')"
    )
    cursor.close()
    raw.close()  # back to the pool without COMMIT or ROLLBACK: the pool must end it

    assert _user_count(one_connection) == 0
    with one_connection.begin() as again:
        _add_user(again, "next@example.com")
    assert _user_count(one_connection) == 1


def test_committed_transactions_return_their_connection_without_a_rollback(
    one_connection: Engine, backend: str
) -> None:
    if backend != "mysql":
        pytest.skip("psycopg and sqlite3 send no ROLLBACK when no transaction is open")

    def rollbacks() -> int:
        with one_connection.connect() as conn:
            row = conn.exec_driver_sql("SHOW SESSION STATUS LIKE 'Com_rollback'").one()
            conn.rollback()
            return int(row[1])

    before = rollbacks()
    for n in range(5):
        with one_connection.begin() as conn:
            _add_user(conn, f"buyer{n}@example.com")
    # the one ROLLBACK is rollbacks()'s own, which it asks for explicitly
    assert rollbacks() == before + 1
    assert _user_count(one_connection) == 5


def _session_of(conn: Connection, backend: str) -> int:
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    return int(dbapi.thread_id() if backend == "mysql" else dbapi.info.backend_pid)


def _kill(db_url: URL, backend: str, session: int) -> None:
    admin = make_engine(db_url, pool_pre_ping=False)
    try:
        with admin.connect() as conn:
            if backend == "mysql":
                conn.execute(text(f"KILL CONNECTION {session}"))
            else:
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": session})
    finally:
        admin.dispose()


def _server_only(backend: str) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite connections have no server to lose them")


def test_a_connection_killed_while_idle_is_replaced_before_use(
    db_url: URL, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _server_only(backend)
    monkeypatch.setattr(engine_module, "IDLE_PING_S", 0.0)  # any pause counts as idle
    engine = make_engine(db_url, pool_size=1, max_overflow=0)
    try:
        with engine.connect() as conn:
            first = _session_of(conn, backend)
        _kill(db_url, backend, first)
        time.sleep(0.05)

        with engine.connect() as conn:  # a plain read, which nothing would retry
            assert conn.execute(text("select 1")).scalar_one() == 1
            assert _session_of(conn, backend) != first
    finally:
        engine.dispose()


def test_a_connection_in_use_a_moment_ago_is_not_pinged(db_url: URL, backend: str) -> None:
    _server_only(backend)
    engine = make_engine(db_url, pool_size=1, max_overflow=0)
    pings: list[object] = []
    ping = engine.dialect.do_ping
    engine.dialect.do_ping = lambda dbapi_connection: pings.append(1) or ping(dbapi_connection)  # type: ignore[method-assign]
    try:
        for _ in range(20):
            with engine.connect() as conn:
                conn.execute(text("select 1"))
        assert pings == []
    finally:
        engine.dispose()


def test_mariadb_on_loopback_does_not_build_tls_for_every_connection(
    db_url: URL, backend: str
) -> None:
    if backend != "mysql":
        pytest.skip("only PyMySQL builds a TLS context per connection by default")
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            dbapi = conn.connection.dbapi_connection
            assert dbapi is not None
            assert dbapi.ssl is False  # type: ignore[attr-defined]
    finally:
        engine.dispose()
