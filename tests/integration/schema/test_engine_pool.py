"""Connections in and out of the pool: open transactions end there, finished ones cost
nothing, idle ones are pinged, and a catalogue query on PostgreSQL is one round trip."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError

from dbservers import schema_engine
from shopdb.db.admin import init_schema
from shopdb.db.engine import make_engine
from shopdb.db.schema import users
from shopdb.queries import run_query


@pytest.fixture
def one_connection(db_url: URL) -> Iterator[Engine]:
    """An engine whose pool holds exactly one connection, so each checkout reuses it."""
    engine = make_engine(db_url, pool_size=1, max_overflow=0, pool_pre_ping=False)
    init_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def shop_engine_pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An engine on a PostgreSQL database holding the empty schema, its pool one connection."""
    with schema_engine("postgresql", tmp_path_factory.mktemp("pg")) as (_engine, url):
        engine = make_engine(url, pool_size=1, max_overflow=0)
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


def _session_id(conn: Connection, backend: str) -> int:
    query = "select pg_backend_pid()" if backend == "postgresql" else "select connection_id()"
    return int(conn.exec_driver_sql(query).scalar_one())


def _end_session(db_url: URL, session_id: int, backend: str) -> None:
    """End a session from another engine's connection, as a server restart would."""
    other = make_engine(db_url)
    try:
        with other.connect() as conn:
            if backend == "postgresql":
                conn.exec_driver_sql(f"select pg_terminate_backend({session_id})")
            else:
                conn.exec_driver_sql(f"kill {session_id}")
    finally:
        other.dispose()


def _idle_pinged(db_url: URL, ping_after_idle_s: float) -> Engine:
    return make_engine(db_url, pool_size=2, max_overflow=0, ping_after_idle_s=ping_after_idle_s)


def test_a_connection_idle_past_the_threshold_is_pinged_and_a_dead_one_replaced(
    db_url: URL, backend: str
) -> None:
    if backend == "sqlite":
        pytest.skip("an in-process database has no server to lose")
    engine = _idle_pinged(db_url, 0.0)
    try:
        with engine.connect() as conn:
            first = _session_id(conn, backend)
        _end_session(db_url, first, backend)

        with engine.connect() as conn:  # checkout pings, finds it dead, connects anew
            assert _session_id(conn, backend) != first
    finally:
        engine.dispose()


def test_a_connection_used_a_moment_ago_is_handed_out_without_a_ping(
    db_url: URL, backend: str
) -> None:
    if backend == "sqlite":
        pytest.skip("an in-process database has no server to lose")
    engine = _idle_pinged(db_url, 3600.0)
    try:
        with engine.connect() as conn:
            first = _session_id(conn, backend)
        _end_session(db_url, first, backend)

        # no ping, so the dead connection is handed out and its first statement fails;
        # the pool then discards it and the next checkout connects anew
        with pytest.raises(DBAPIError) as raised, engine.connect() as conn:
            conn.exec_driver_sql("select 1")
        assert raised.value.connection_invalidated
        with engine.connect() as conn:
            assert _session_id(conn, backend) != first
    finally:
        engine.dispose()


def _round_trips(trace: str) -> list[str]:
    # each line of libpq's trace is (timestamp,) direction, length, message type, content;
    # a simple Query or the Sync ending an extended query is one round trip
    sent = []
    for line in trace.splitlines():
        fields = line.split("\t")
        if "F" not in fields:
            continue
        kind, *content = fields[fields.index("F") + 2 :]
        if kind in ("Query", "Sync"):
            sent.append(kind + (f" {content[0]}" if content else ""))
    return sent


def test_a_catalogue_query_on_postgresql_is_one_round_trip(
    shop_engine_pg: Engine, tmp_path: Path
) -> None:
    with shop_engine_pg.connect() as conn:
        dbapi_connection = conn.connection.dbapi_connection
    assert dbapi_connection is not None
    path = tmp_path / "trace"
    with path.open("w") as trace:
        dbapi_connection.pgconn.trace(trace.fileno())  # type: ignore[attr-defined]
        try:
            result = run_query(shop_engine_pg, "total_revenue", source="rollup")
        finally:
            dbapi_connection.pgconn.untrace()  # type: ignore[attr-defined]

    # no ping, no BEGIN, no per-transaction SET, no ROLLBACK: the query alone
    assert _round_trips(path.read_text()) == ["Sync"]
    assert len(result.rows) == 1


def test_postgresql_sessions_start_with_jit_off(shop_engine_pg: Engine) -> None:
    with shop_engine_pg.connect() as conn:
        assert conn.exec_driver_sql("show jit").scalar_one() == "off"
