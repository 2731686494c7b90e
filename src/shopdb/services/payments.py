"""Payments: pay a pending order exactly once, refund a paid one.

``payments.idempotency_key`` is UNIQUE: a client that retries a payment with the same key
gets the payment recorded the first time back, never a second charge. A declined attempt
(the payment provider said no) is recorded as ``failed`` and leaves the order ``pending``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection, Engine

from shopdb.db.lake_log import touch
from shopdb.db.schema import payments
from shopdb.db.types import max_length, utcnow
from shopdb.errors import Duplicate, InvalidInput, PaymentMismatch
from shopdb.lifecycle import PAYMENT_METHODS, payment_status
from shopdb.limits import MAX_TOTAL_CENTS, check_id, check_range, check_text
from shopdb.rollups.maintain import payment_made
from shopdb.rollups.order_events import PaymentMade
from shopdb.services._status import (
    LockedOrder,
    change_status,
    lock_order,
    move_order,
    require_transition,
)
from shopdb.services._tx import inserted_id, run_in_transaction
from shopdb.services.orders import refund_captured

MAX_KEY_LENGTH = max_length(payments.c.idempotency_key)


@dataclass(frozen=True)
class Payment:
    """A stored payment row."""

    payment_id: int
    order_id: int
    amount_cents: int
    method: str
    status: str
    idempotency_key: str | None
    created_at: datetime


def pay_order(
    engine: Engine,
    order_id: int,
    amount_cents: int | None,
    method: str,
    idempotency_key: str | None = None,
    *,
    approved: bool = True,
    now: datetime | None = None,
) -> Payment:
    """Record a payment of a pending order; when ``approved``, the order becomes ``paid``.

    The amount must equal ``orders.total_cents``; None pays exactly that total, as read
    under the order's row lock. With ``approved=False`` the attempt is
    stored as ``failed`` and the order stays ``pending``. A key already used for this
    order with the same amount, method and outcome returns the payment stored under it,
    whatever its status, and writes nothing.

    Raises:
        InvalidInput: an unknown method, a non-positive amount or a malformed key.
        NotFound: no such order.
        Duplicate: the key was used for another order, or for this order with another
            amount, method or outcome (a declined attempt's key cannot be reused).
        InvalidTransition: the order is not pending (already paid, cancelled, ...).
        PaymentMismatch: the amount differs from the order's total.
        On every error nothing is written.
    """
    _validate(order_id, amount_cents, method, idempotency_key)

    def body(conn: Connection) -> Payment:
        # the row lock comes first: a concurrent payment of this order waits here and
        # then sees the committed status and key (a snapshot taken later includes them)
        order = lock_order(conn, order_id, "paid")
        # the clock is read under the lock, so this change is dated after the last one
        at = now or utcnow()
        if idempotency_key is not None:
            earlier = _by_key(conn, idempotency_key)
            if earlier is not None:
                if earlier.order_id != order_id:
                    raise Duplicate(f"payment key {idempotency_key!r} was used for another order")
                amount = order.total_cents if amount_cents is None else amount_cents
                _require_same_request(earlier, amount, method, approved)
                return earlier
        require_transition(order, "paid")
        amount = order.total_cents if amount_cents is None else amount_cents
        if amount != order.total_cents:
            raise PaymentMismatch(order_id, order.total_cents, amount)
        return _record(conn, order, amount, method, idempotency_key, approved, at)

    # a concurrent payment of another order with the same key: the UNIQUE key decides
    taken = {
        "uq_payments_idempotency_key": f"payment key {idempotency_key!r} was used for another order"
    }
    return run_in_transaction(engine, body, duplicates=taken)


def _validate(order_id: int, amount_cents: int | None, method: str, key: str | None) -> None:
    check_id("order", order_id)
    if method not in PAYMENT_METHODS:
        raise InvalidInput(
            f"unknown payment method {method!r}: use one of {', '.join(PAYMENT_METHODS)}"
        )
    if amount_cents is None:
        pass  # the order's total, read under its lock
    elif isinstance(amount_cents, int) and amount_cents <= 0:
        raise InvalidInput(f"a payment must be positive, got {amount_cents} cents")
    else:
        check_range("a payment in cents", amount_cents, 1, MAX_TOTAL_CENTS)
    if key is not None:
        check_text("a payment key", key, MAX_KEY_LENGTH)


def _require_same_request(earlier: Payment, amount_cents: int, method: str, approved: bool) -> None:
    """Refuse a retry whose parameters differ from the request stored under its key."""
    outcome = "completed" if approved else "failed"
    stored = "completed" if earlier.status == "refunded" else earlier.status
    if (earlier.amount_cents, earlier.method, stored) != (amount_cents, method, outcome):
        raise Duplicate(
            f"payment key {earlier.idempotency_key!r} was used for a {earlier.status} "
            f"{earlier.method} payment of {earlier.amount_cents} cents: use a new key"
        )


def _record(
    conn: Connection,
    order: LockedOrder,
    amount_cents: int,
    method: str,
    key: str | None,
    approved: bool,
    at: datetime,
) -> Payment:
    status = payment_status(approved)
    result = conn.execute(
        insert(payments).values(
            order_id=order.order_id,
            amount_cents=amount_cents,
            method=method,
            status=status,
            created_at=at,
            idempotency_key=key,
        )
    )
    touch(conn, order.created_at, payments)
    made = PaymentMade(at, method, status, amount_cents)
    if approved:
        change_status(conn, order, "paid", at, payment=made)
    else:
        payment_made(conn, made, at)
    payment_id = inserted_id(result)
    return Payment(payment_id, order.order_id, amount_cents, method, status, key, at)


def _by_key(conn: Connection, key: str) -> Payment | None:
    row = conn.execute(
        select(
            payments.c.payment_id,
            payments.c.order_id,
            payments.c.amount_cents,
            payments.c.method,
            payments.c.status,
            payments.c.idempotency_key,
            payments.c.created_at,
        ).where(payments.c.idempotency_key == key)
    ).one_or_none()
    return None if row is None else Payment(*row)


def refund_order(engine: Engine, order_id: int, *, now: datetime | None = None) -> int:
    """Refund a paid, shipped or delivered order; return how many payments were refunded.

    Its ``completed`` payments become ``refunded`` (with ``refunded_at``) and the order
    ``refunded``. Goods already sent are not restocked (see ``shopdb.lifecycle``).

    Raises:
        NotFound: no such order. InvalidTransition: the order is pending, cancelled or
            already refunded. On error nothing is written.
    """

    check_id("order", order_id)

    def body(conn: Connection) -> int:
        order, at = move_order(conn, order_id, "refunded", now)
        return refund_captured(conn, order, at)

    return run_in_transaction(engine, body)
