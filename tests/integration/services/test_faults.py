"""Faults: a client killed mid-transaction, a connection lost mid-transaction."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from services_support import Shop, count_rows, stock_of
from sqlalchemy import event, text
from sqlalchemy.engine import URL, Connection

from shopdb.db.engine import make_engine
from shopdb.db.schema import order_items, order_status_history, orders
from shopdb.errors import ConnectionLost
from shopdb.services import place_order

HOLDER = Path(__file__).with_name("hold_order.py")


def _no_order_and_full_stock(shop: Shop) -> None:
    assert count_rows(shop.engine, orders) == 0
    assert count_rows(shop.engine, order_items) == 0
    assert count_rows(shop.engine, order_status_history) == 0
    assert stock_of(shop.engine, shop.lamp) == 5


def test_client_killed_mid_transaction_leaves_no_partial_order(
    shop: Shop, db_url_text: str
) -> None:
    with subprocess.Popen(
        [sys.executable, str(HOLDER), db_url_text, str(shop.user), str(shop.lamp)],
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        # a holder that never gets there is killed, so readline returns instead of hanging
        watchdog = threading.Timer(60, holder.kill)
        watchdog.start()
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline().strip() == "holding"
        finally:
            watchdog.cancel()
            holder.send_signal(signal.SIGKILL)
            holder.wait(timeout=30)

    _no_order_and_full_stock(shop)
    # the dead client's locks are gone: the stock can be sold again
    order_id = place_order(shop.engine, shop.user, {shop.lamp: 5})
    assert count_rows(shop.engine, order_items, order_items.c.order_id == order_id) == 1
    assert stock_of(shop.engine, shop.lamp) == 0


def _session_id(conn: Any, backend: str) -> int:
    dbapi = conn.connection.dbapi_connection
    return int(dbapi.thread_id() if backend == "mysql" else dbapi.info.backend_pid)


def _kill_session(db_url: URL, backend: str, session: int) -> None:
    admin = make_engine(db_url)
    try:
        with admin.connect() as conn:
            if backend == "mysql":
                conn.execute(text(f"KILL CONNECTION {session}"))
            else:
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": session})
    finally:
        admin.dispose()


def _kill_once_at(shop: Shop, db_url: URL, backend: str, when: str) -> list[bool]:
    """Kill the session from another connection the first time ``when`` happens."""
    fired: list[bool] = []

    def kill(conn: Connection, *args: Any) -> None:
        if fired:
            return
        if when == "commit" or args[1].lstrip().upper().startswith("UPDATE INVENTORY"):
            fired.append(True)
            _kill_session(db_url, backend, _session_id(conn, backend))

    hook = "commit" if when == "commit" else "before_cursor_execute"
    event.listen(shop.engine, hook, kill)
    return fired


def _server_only(backend: str) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite has no server session to kill: the process-kill test covers it")


def test_session_killed_before_commit_is_retried_once(
    shop: Shop, db_url: URL, backend: str
) -> None:
    _server_only(backend)
    killed = _kill_once_at(shop, db_url, backend, "stock")

    order_id = place_order(shop.engine, shop.user, {shop.lamp: 2})

    assert killed == [True]
    # the killed attempt rolled back; the retry placed exactly one order
    assert count_rows(shop.engine, orders) == 1
    assert count_rows(shop.engine, order_items, order_items.c.order_id == order_id) == 1
    assert stock_of(shop.engine, shop.lamp) == 3


def test_session_killed_at_commit_is_a_clear_error_and_no_order(
    shop: Shop, db_url: URL, backend: str
) -> None:
    _server_only(backend)
    killed = _kill_once_at(shop, db_url, backend, "commit")

    with pytest.raises(ConnectionLost, match="lost while committing"):
        place_order(shop.engine, shop.user, {shop.lamp: 2})

    assert killed == [True]
    _no_order_and_full_stock(shop)
