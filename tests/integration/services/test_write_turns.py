"""SQLite writers in one process wait for their turn on a lock, not in the busy handler."""

from __future__ import annotations

import threading
from pathlib import Path

from services_support import Shop, stock_of
from sqlalchemy import update
from sqlalchemy.engine import Connection, make_url

from shopdb.db.schema import inventory
from shopdb.db.writers import writer_lock
from shopdb.services._tx import run_in_transaction


def test_a_writer_waits_for_the_turn_another_holds_and_then_writes(
    shop: Shop, backend: str
) -> None:
    lock = writer_lock(shop.engine.url)
    if backend != "sqlite":
        assert lock is None  # row locks serve the servers' writers together
        return
    assert lock is not None
    done = threading.Event()

    def restock(conn: Connection) -> None:
        conn.execute(
            update(inventory)
            .where(inventory.c.product_id == shop.lamp)
            .values(quantity_on_hand=inventory.c.quantity_on_hand + 1)
        )

    def writer() -> None:
        run_in_transaction(shop.engine, restock)
        done.set()

    before = stock_of(shop.engine, shop.lamp)
    with lock:  # another writer's turn
        thread = threading.Thread(target=writer)
        thread.start()
        assert not done.wait(0.5)  # waiting for the turn, not writing beside it
        # a read takes no turn
        assert run_in_transaction(shop.engine, lambda c: 1, write=False) == 1
    thread.join(timeout=30)
    assert done.is_set()
    assert stock_of(shop.engine, shop.lamp) == before + 1


def test_urls_of_one_file_share_a_turn_and_memory_databases_take_none(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    first = writer_lock(make_url(f"sqlite:///{path}"))
    assert first is not None
    assert writer_lock(make_url(f"sqlite:///{path.parent}/./{path.name}")) is first
    assert writer_lock(make_url(f"sqlite:///{tmp_path}/other.sqlite3")) is not first
    assert writer_lock(make_url("sqlite://")) is None
    assert writer_lock(make_url("sqlite:///:memory:")) is None
