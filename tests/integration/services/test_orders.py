"""place_order and cancel_order, checked through the stored rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from services_support import T0, Shop, assert_audit_clean, count_rows, snapshot, stock_of
from sqlalchemy import select

from shopdb.db.schema import (
    inventory_movements,
    order_items,
    order_status_history,
    orders,
    payments,
)
from shopdb.errors import InvalidInput, InvalidTransition, NotFound, OutOfStock
from shopdb.services import cancel_order, pay_order, place_order, ship_order


def test_place_order_writes_order_items_ledger_and_history(shop: Shop) -> None:
    order_id = place_order(shop.engine, shop.user, {shop.mug: 2, shop.lamp: 3}, now=T0)

    with shop.engine.connect() as conn:
        order = conn.execute(select(orders).where(orders.c.order_id == order_id)).one()
        items = conn.execute(
            select(order_items.c.product_id, order_items.c.quantity, order_items.c.unit_price_cents)
            .where(order_items.c.order_id == order_id)
            .order_by(order_items.c.product_id)
        ).all()
        sales = conn.execute(
            select(inventory_movements.c.product_id, inventory_movements.c.quantity_delta)
            .where(inventory_movements.c.reason == "sale")
            .order_by(inventory_movements.c.product_id)
        ).all()
        history = conn.execute(
            select(order_status_history.c.from_status, order_status_history.c.to_status)
        ).all()
    assert (order.status, order.total_cents, order.created_at) == ("pending", 3500, T0)
    assert order.ship_country_code == "FR"
    assert [tuple(i) for i in items] == [(shop.lamp, 3, 1000), (shop.mug, 2, 250)]
    assert [tuple(s) for s in sales] == [(shop.lamp, -3), (shop.mug, -2)]
    assert [tuple(h) for h in history] == [(None, "pending")]
    assert (stock_of(shop.engine, shop.lamp), stock_of(shop.engine, shop.mug)) == (2, 0)


def test_invalid_order_writes_nothing(shop: Shop) -> None:
    cases: list[tuple[dict[int, int], type[Exception]]] = [
        ({}, InvalidInput),
        ({shop.lamp: 0}, InvalidInput),
        ({shop.lamp: -2}, InvalidInput),
        ({shop.lamp: 1, 999: 1}, NotFound),
    ]
    before = snapshot(shop.engine)
    for quantities, error in cases:
        with pytest.raises(error):
            place_order(shop.engine, shop.user, quantities)
    assert snapshot(shop.engine) == before


@pytest.mark.parametrize(
    ("user", "products", "named"),
    [
        ("unknown", ["lamp"], "user 999 "),
        ("unknown", ["unknown"], "user 999 "),
        ("known", ["unknown"], "product 999 "),
        ("known", ["lamp", "unknown"], "product 999 "),
    ],
)
def test_unknown_user_or_product_is_named_and_writes_nothing(
    shop: Shop, user: str, products: list[str], named: str
) -> None:
    ids = {"lamp": shop.lamp, "unknown": 999}
    user_id = shop.user if user == "known" else 999
    before = snapshot(shop.engine)
    with pytest.raises(NotFound, match=named):
        place_order(shop.engine, user_id, {ids[p]: 1 for p in products})
    assert snapshot(shop.engine) == before


def test_out_of_stock_writes_nothing(shop: Shop) -> None:
    # the lamp could be taken, the mug cannot: the whole order must roll back
    before = snapshot(shop.engine)
    with pytest.raises(OutOfStock) as raised:
        place_order(shop.engine, shop.user, {shop.lamp: 2, shop.mug: 3})

    assert (raised.value.product_id, raised.value.requested, raised.value.available) == (
        shop.mug,
        3,
        2,
    )
    assert snapshot(shop.engine) == before


def test_cancel_paid_order_returns_stock_and_refunds(shop: Shop) -> None:
    order_id = place_order(shop.engine, shop.user, {shop.lamp: 2, shop.mug: 1}, now=T0)
    pay_order(shop.engine, order_id, 2250, "card", "k1", now=T0 + timedelta(minutes=1))
    later = T0 + timedelta(minutes=2)
    cancel_order(shop.engine, order_id, now=later)

    with shop.engine.connect() as conn:
        order = conn.execute(select(orders).where(orders.c.order_id == order_id)).one()
        returns = conn.execute(
            select(inventory_movements.c.product_id, inventory_movements.c.quantity_delta)
            .where(inventory_movements.c.reason == "return")
            .order_by(inventory_movements.c.product_id)
        ).all()
        payment = conn.execute(select(payments.c.status, payments.c.refunded_at)).one()
    assert (order.status, order.updated_at) == ("cancelled", later)
    assert [tuple(r) for r in returns] == [(shop.lamp, 2), (shop.mug, 1)]
    assert tuple(payment) == ("refunded", later)
    assert (stock_of(shop.engine, shop.lamp), stock_of(shop.engine, shop.mug)) == (5, 2)
    assert count_rows(shop.engine, order_status_history) == 3
    assert_audit_clean(shop.engine)


def test_cancel_after_shipping_writes_nothing(shop: Shop) -> None:
    order_id = place_order(shop.engine, shop.user, {shop.lamp: 1})
    pay_order(shop.engine, order_id, 1000, "card")
    ship_order(shop.engine, order_id)
    before = snapshot(shop.engine)

    with pytest.raises(InvalidTransition) as raised:
        cancel_order(shop.engine, order_id)

    assert (raised.value.current, raised.value.target) == ("shipped", "cancelled")
    assert snapshot(shop.engine) == before


def test_cancel_unknown_order_is_not_found(shop: Shop) -> None:
    with pytest.raises(NotFound, match="order 42"):
        cancel_order(shop.engine, 42)
