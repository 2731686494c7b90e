"""pay_order, refund_order, ship_order and deliver_order, checked through the stored rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from services_support import T0, Shop, assert_audit_clean, count_rows, snapshot
from sqlalchemy import select

from shopdb.db.schema import order_status_history, orders, payments, shipments
from shopdb.errors import Duplicate, InvalidInput, InvalidTransition, NotFound, PaymentMismatch
from shopdb.services import deliver_order, pay_order, place_order, refund_order, ship_order


def _history(shop: Shop, order_id: int) -> list[tuple[str | None, str]]:
    with shop.engine.connect() as conn:
        rows = conn.execute(
            select(order_status_history.c.from_status, order_status_history.c.to_status)
            .where(order_status_history.c.order_id == order_id)
            .order_by(order_status_history.c.history_id)
        ).all()
    return [(r[0], r[1]) for r in rows]


def test_full_lifecycle_writes_payment_shipment_and_history(shop: Shop) -> None:
    order_id = place_order(shop.engine, shop.user, {shop.lamp: 1}, now=T0)
    paid = pay_order(shop.engine, order_id, 1000, "card", "key-1", now=T0 + timedelta(hours=1))
    ship_order(shop.engine, order_id, carrier="dhl", tracking_number="T1", now=T0 + timedelta(1))
    deliver_order(shop.engine, order_id, now=T0 + timedelta(days=3))
    refund_order(shop.engine, order_id, now=T0 + timedelta(days=4))

    with shop.engine.connect() as conn:
        payment = conn.execute(select(payments)).one()
        shipment = conn.execute(select(shipments)).one()
        status = conn.execute(select(orders.c.status)).scalar_one()
    assert (payment.payment_id, payment.amount_cents, payment.method) == (
        paid.payment_id,
        1000,
        "card",
    )
    assert (payment.status, payment.refunded_at) == ("refunded", T0 + timedelta(days=4))
    assert (shipment.carrier, shipment.tracking_number) == ("dhl", "T1")
    assert shipment.delivered_at == T0 + timedelta(days=3)
    assert status == "refunded"
    assert _history(shop, order_id) == [
        (None, "pending"),
        ("pending", "paid"),
        ("paid", "shipped"),
        ("shipped", "delivered"),
        ("delivered", "refunded"),
    ]
    assert_audit_clean(shop.engine)


def test_retry_with_same_key_returns_the_original_payment(shop: Shop) -> None:
    order_id = place_order(shop.engine, shop.user, {shop.mug: 1})
    first = pay_order(shop.engine, order_id, 250, "paypal", "retry-me")
    again = pay_order(shop.engine, order_id, 250, "paypal", "retry-me")

    assert again.payment_id == first.payment_id
    assert count_rows(shop.engine, payments) == 1
    assert _history(shop, order_id) == [(None, "pending"), ("pending", "paid")]


def test_declined_attempt_is_recorded_and_order_stays_pending(shop: Shop) -> None:
    order_id = place_order(shop.engine, shop.user, {shop.mug: 1})
    failed = pay_order(shop.engine, order_id, 250, "card", "a1", approved=False)
    paid = pay_order(shop.engine, order_id, 250, "card", "a2")

    with shop.engine.connect() as conn:
        stored = conn.execute(
            select(payments.c.idempotency_key, payments.c.status).order_by(payments.c.payment_id)
        ).all()
    assert (failed.status, paid.status) == ("failed", "completed")
    assert [tuple(r) for r in stored] == [("a1", "failed"), ("a2", "completed")]
    assert_audit_clean(shop.engine)


def test_wrong_amount_writes_nothing(shop: Shop) -> None:
    order_id = place_order(shop.engine, shop.user, {shop.lamp: 2})
    before = snapshot(shop.engine)
    with pytest.raises(PaymentMismatch, match="owes 2000"):
        pay_order(shop.engine, order_id, 1999, "card", "k")
    assert snapshot(shop.engine) == before


def test_paying_twice_with_a_new_key_writes_nothing(shop: Shop) -> None:
    order_id = place_order(shop.engine, shop.user, {shop.lamp: 1})
    pay_order(shop.engine, order_id, 1000, "card", "k1")
    before = snapshot(shop.engine)
    with pytest.raises(InvalidTransition, match="is paid"):
        pay_order(shop.engine, order_id, 1000, "card", "k2")
    assert snapshot(shop.engine) == before


def test_key_of_another_order_writes_nothing(shop: Shop) -> None:
    first = place_order(shop.engine, shop.user, {shop.lamp: 1})
    second = place_order(shop.engine, shop.user, {shop.mug: 1})
    pay_order(shop.engine, first, 1000, "card", "shared")
    before = snapshot(shop.engine)
    with pytest.raises(Duplicate):
        pay_order(shop.engine, second, 250, "card", "shared")
    assert snapshot(shop.engine) == before


def test_refusals_of_a_pending_order_write_nothing(shop: Shop) -> None:
    order_id = place_order(shop.engine, shop.user, {shop.lamp: 1})
    before = snapshot(shop.engine)
    with pytest.raises(InvalidInput):
        pay_order(shop.engine, order_id, 1000, "cash")
    with pytest.raises(NotFound):
        pay_order(shop.engine, 999, 1000, "card")
    for refused in (ship_order, deliver_order, refund_order):
        with pytest.raises(InvalidTransition, match="is pending"):
            refused(shop.engine, order_id)
    assert snapshot(shop.engine) == before
