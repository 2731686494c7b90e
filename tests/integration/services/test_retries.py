"""Deadlocks are retried inside run_in_transaction and never reach the caller."""

from __future__ import annotations

import threading

import pytest
from services_support import Shop, stock_of
from sqlalchemy import update
from sqlalchemy.engine import Connection

from shopdb.db.schema import inventory
from shopdb.services._tx import observe_retries, run_in_transaction


def test_a_real_deadlock_is_retried_and_both_transactions_commit(shop: Shop, backend: str) -> None:
    if backend == "sqlite":
        pytest.skip("BEGIN IMMEDIATE serializes SQLite writers: they cannot deadlock")
    # two transactions take the same two rows in opposite orders: the server kills one
    both_hold_one = threading.Barrier(2, timeout=10)
    retries: list[BaseException] = []
    done: list[str] = []

    def add(first: int, second: int, name: str) -> None:
        attempts = [0]

        def body(conn: Connection) -> None:
            attempts[0] += 1
            _bump(conn, first)
            if attempts[0] == 1:
                both_hold_one.wait()
            _bump(conn, second)

        with observe_retries(retries.append):
            run_in_transaction(shop.engine, body)
        done.append(name)

    threads = [
        threading.Thread(target=add, args=(shop.lamp, shop.mug, "a")),
        threading.Thread(target=add, args=(shop.mug, shop.lamp, "b")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(done) == ["a", "b"]
    assert len(retries) >= 1
    # each transaction added one unit to each product exactly once
    assert (stock_of(shop.engine, shop.lamp), stock_of(shop.engine, shop.mug)) == (7, 4)


def _bump(conn: Connection, product_id: int) -> None:
    conn.execute(
        update(inventory)
        .where(inventory.c.product_id == product_id)
        .values(quantity_on_hand=inventory.c.quantity_on_hand + 1)
    )
