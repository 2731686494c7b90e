"""Reading one order with everything around it: items, payments, history, shipment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from shopdb.db.schema import (
    order_items,
    order_status_history,
    orders,
    payments,
    products,
    shipments,
)
from shopdb.errors import NotFound
from shopdb.services._tx import run_in_transaction


@dataclass(frozen=True)
class OrderDetails:
    """One order as stored; each list holds row tuples in a stable order."""

    order_id: int
    user_id: int
    status: str
    total_cents: int
    created_at: datetime
    updated_at: datetime | None
    items: list[tuple[Any, ...]]
    """(product_id, sku, name, quantity, unit_price_cents), by product id."""
    payments: list[tuple[Any, ...]]
    """(payment_id, amount_cents, method, status, idempotency_key, created_at, refunded_at)."""
    history: list[tuple[Any, ...]]
    """(from_status, to_status, changed_at), oldest first."""
    shipment: tuple[Any, ...] | None
    """(carrier, tracking_number, shipped_at, delivered_at), or None."""


def get_order(engine: Engine, order_id: int) -> OrderDetails:
    """Read an order and its rows in one read-only transaction.

    Raises:
        NotFound: no such order.
    """
    return run_in_transaction(engine, lambda conn: _read(conn, order_id), write=False)


def read_order(conn: Connection, order_id: int) -> OrderDetails:
    """``get_order`` inside the caller's transaction (the API renders a write's response
    in the write's own transaction, to store it with its Idempotency-Key).

    Raises:
        NotFound: no such order.
    """
    return _read(conn, order_id)


def _read(conn: Connection, order_id: int) -> OrderDetails:
    head = conn.execute(
        select(
            orders.c.user_id,
            orders.c.status,
            orders.c.total_cents,
            orders.c.created_at,
            orders.c.updated_at,
        ).where(orders.c.order_id == order_id)
    ).one_or_none()
    if head is None:
        raise NotFound(f"order {order_id} does not exist")
    items = conn.execute(
        select(
            order_items.c.product_id,
            products.c.sku,
            products.c.name,
            order_items.c.quantity,
            order_items.c.unit_price_cents,
        )
        .join(products, products.c.product_id == order_items.c.product_id)
        .where(order_items.c.order_id == order_id)
        .order_by(order_items.c.product_id)
    ).all()
    paid = conn.execute(
        select(
            payments.c.payment_id,
            payments.c.amount_cents,
            payments.c.method,
            payments.c.status,
            payments.c.idempotency_key,
            payments.c.created_at,
            payments.c.refunded_at,
        )
        .where(payments.c.order_id == order_id)
        .order_by(payments.c.payment_id)
    ).all()
    history = conn.execute(
        select(
            order_status_history.c.from_status,
            order_status_history.c.to_status,
            order_status_history.c.changed_at,
        )
        .where(order_status_history.c.order_id == order_id)
        .order_by(order_status_history.c.history_id)
    ).all()
    shipment = conn.execute(
        select(
            shipments.c.carrier,
            shipments.c.tracking_number,
            shipments.c.shipped_at,
            shipments.c.delivered_at,
        ).where(shipments.c.order_id == order_id)
    ).one_or_none()
    return OrderDetails(
        order_id,
        int(head.user_id),
        head.status,
        int(head.total_cents),
        head.created_at,
        head.updated_at,
        [tuple(r) for r in items],
        [tuple(r) for r in paid],
        [tuple(r) for r in history],
        None if shipment is None else tuple(shipment),
    )
