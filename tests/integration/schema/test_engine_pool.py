"""Connections going back to the pool: open transactions end there, finished ones cost nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.engine import URL, Connection, Engine

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
