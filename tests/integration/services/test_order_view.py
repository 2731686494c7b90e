"""``get_order`` returns typed, frozen records of an order and everything around it."""

from __future__ import annotations

import dataclasses
from datetime import UTC, timedelta

import pytest
from services_support import T0, Shop

from shopdb.errors import NotFound
from shopdb.services import (
    OrderItemView,
    PaymentView,
    ShipmentView,
    StatusChangeView,
    deliver_order,
    get_order,
    pay_order,
    place_order,
    ship_order,
)


def test_a_delivered_order_reads_as_typed_records(shop: Shop) -> None:
    order_id = place_order(shop.engine, shop.user, {shop.mug: 1, shop.lamp: 2}, now=T0)
    pay_order(shop.engine, order_id, 2250, "card", "k1", approved=False, now=T0 + timedelta(1))
    pay_order(shop.engine, order_id, 2250, "paypal", "k2", now=T0 + timedelta(2))
    ship_order(shop.engine, order_id, carrier="DHL", tracking_number="T-1", now=T0 + timedelta(3))
    deliver_order(shop.engine, order_id, now=T0 + timedelta(4))

    view = get_order(shop.engine, order_id)

    assert (view.order_id, view.user_id, view.status, view.total_cents) == (
        order_id,
        shop.user,
        "delivered",
        2250,
    )
    assert (view.created_at, view.updated_at) == (T0, T0 + timedelta(4))
    assert (view.ship_country_code, view.ship_city) == ("FR", None)
    assert view.items == (
        OrderItemView(shop.lamp, "LAMP-1", "Lamp", 2, 1000),
        OrderItemView(shop.mug, "MUG-1", "Mug", 1, 250),
    )
    assert [i.line_cents for i in view.items] == [2000, 250]
    assert [(p.method, p.status, p.idempotency_key) for p in view.payments] == [
        ("card", "failed", "k1"),
        ("paypal", "completed", "k2"),
    ]
    assert all(isinstance(p, PaymentView) and p.refunded_at is None for p in view.payments)
    assert view.history == (
        StatusChangeView(None, "pending", T0),
        StatusChangeView("pending", "paid", T0 + timedelta(2)),
        StatusChangeView("paid", "shipped", T0 + timedelta(3)),
        StatusChangeView("shipped", "delivered", T0 + timedelta(4)),
    )
    assert view.shipment == ShipmentView("DHL", "T-1", T0 + timedelta(3), T0 + timedelta(4))
    assert view.created_at.tzinfo is UTC


def test_the_records_are_frozen(shop: Shop) -> None:
    view = get_order(shop.engine, place_order(shop.engine, shop.user, {shop.mug: 1}, now=T0))

    with pytest.raises(dataclasses.FrozenInstanceError):
        view.status = "paid"  # type: ignore[misc]
    assert view.shipment is None and view.payments == ()


def test_a_missing_order_is_not_found(shop: Shop) -> None:
    with pytest.raises(NotFound, match="order 999 does not exist"):
        get_order(shop.engine, 999)
