"""Concurrent clients: each thread uses its own pooled connection, started together."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from services_support import Shop, assert_audit_clean, count_rows, stock_of
from sqlalchemy import func, select

from shopdb.db.schema import inventory_movements, orders, payments, shipments, users
from shopdb.errors import Duplicate, InvalidTransition, OutOfStock
from shopdb.services import cancel_order, pay_order, place_order, register_user, ship_order


def _race(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in threads released at once; return each result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = calls[i]()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_many_buyers_of_the_last_units_sell_exactly_the_stock(shop: Shop) -> None:
    # 5 lamps on hand, 10 buyers of one each: exactly 5 orders, never a sixth
    results = _race([lambda: place_order(shop.engine, shop.user, {shop.lamp: 1})] * 10)

    sold = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, OutOfStock)]
    assert (len(sold), len(refused)) == (5, 5)
    assert stock_of(shop.engine, shop.lamp) == 0
    assert count_rows(shop.engine, orders) == 5
    with shop.engine.connect() as conn:
        taken = conn.execute(
            select(func.sum(inventory_movements.c.quantity_delta)).where(
                inventory_movements.c.reason == "sale"
            )
        ).scalar_one()
    assert taken == -5
    assert_audit_clean(shop.engine)


def test_concurrent_payments_of_one_order_record_one(shop: Shop) -> None:
    same_key = place_order(shop.engine, shop.user, {shop.lamp: 1})
    new_keys = place_order(shop.engine, shop.user, {shop.mug: 1})

    retried = _race([lambda: pay_order(shop.engine, same_key, 1000, "card", "same")] * 4)
    rivals = _race(
        [lambda k=k: pay_order(shop.engine, new_keys, 250, "card", f"k{k}") for k in range(4)]
    )

    assert {p.payment_id for p in retried} == {retried[0].payment_id}
    assert count_rows(shop.engine, payments, payments.c.order_id == same_key) == 1
    winners = [p for p in rivals if not isinstance(p, Exception)]
    assert len(winners) == 1
    assert all(isinstance(p, InvalidTransition) for p in rivals if p not in winners)
    assert count_rows(shop.engine, payments, payments.c.order_id == new_keys) == 1
    assert_audit_clean(shop.engine)


def test_concurrent_cancel_and_ship_exactly_one_wins(shop: Shop) -> None:
    for _ in range(3):
        order_id = place_order(shop.engine, shop.user, {shop.lamp: 1})
        pay_order(shop.engine, order_id, 1000, "card")

        cancelled, shipped = _race(
            [
                lambda o=order_id: cancel_order(shop.engine, o),
                lambda o=order_id: ship_order(shop.engine, o),
            ]
        )

        lost = [r for r in (cancelled, shipped) if isinstance(r, InvalidTransition)]
        assert len(lost) == 1
        with shop.engine.connect() as conn:
            status = conn.execute(
                select(orders.c.status).where(orders.c.order_id == order_id)
            ).scalar_one()
        has_shipment = count_rows(shop.engine, shipments, shipments.c.order_id == order_id) == 1
        returned = count_rows(
            shop.engine,
            inventory_movements,
            inventory_movements.c.order_id == order_id,
            inventory_movements.c.reason == "return",
        )
        if isinstance(cancelled, InvalidTransition):
            assert (status, has_shipment, returned) == ("shipped", True, 0)
        else:
            assert (status, has_shipment, returned) == ("cancelled", False, 1)
    assert_audit_clean(shop.engine)


def test_concurrent_registrations_of_one_email_create_one_user(shop: Shop) -> None:
    results = _race(
        [
            lambda i=i: register_user(shop.engine, f"  Dee@Example.com{' ' * i}", "Dee", "X")
            for i in range(4)
        ]
    )

    assert len([r for r in results if isinstance(r, int)]) == 1
    assert all(isinstance(r, Duplicate) for r in results if not isinstance(r, int))
    assert count_rows(shop.engine, users, users.c.email == "dee@example.com") == 1
