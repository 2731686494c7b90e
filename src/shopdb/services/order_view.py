"""Reading one order with everything around it: items, payments, history, shipment.

The answer is a tree of frozen records with typed fields (ints, text, aware UTC
datetimes), read from one snapshot: the CLI prints them and the API returns them as
they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, bindparam, select
from sqlalchemy.engine import Connection, Engine

from shopdb.db.schema import (
    order_items,
    order_status_history,
    orders,
    payments,
    products,
    shipments,
)
from shopdb.db.snapshot import read_snapshot
from shopdb.errors import NotFound
from shopdb.limits import check_id


@dataclass(frozen=True)
class OrderItemView:
    """One line of an order: the product and the price it was sold at."""

    product_id: int
    sku: str
    name: str
    quantity: int
    unit_price_cents: int

    @property
    def line_cents(self) -> int:
        """The line's amount: quantity times unit price."""
        return self.quantity * self.unit_price_cents


@dataclass(frozen=True)
class PaymentView:
    """One payment attempt of an order, as stored."""

    payment_id: int
    amount_cents: int
    method: str
    status: str
    idempotency_key: str | None
    created_at: datetime
    refunded_at: datetime | None


@dataclass(frozen=True)
class StatusChangeView:
    """One entry of an order's status history (``from_status`` None for the first)."""

    from_status: str | None
    to_status: str
    changed_at: datetime


@dataclass(frozen=True)
class ShipmentView:
    """An order's parcel: who carries it, and when it left and arrived."""

    carrier: str
    tracking_number: str
    shipped_at: datetime
    delivered_at: datetime | None


@dataclass(frozen=True)
class OrderView:
    """One order as stored, with its items by product id, payments by id and history
    oldest first."""

    order_id: int
    user_id: int
    status: str
    total_cents: int
    created_at: datetime
    updated_at: datetime | None
    ship_country_code: str | None
    ship_city: str | None
    items: tuple[OrderItemView, ...]
    payments: tuple[PaymentView, ...]
    history: tuple[StatusChangeView, ...]
    shipment: ShipmentView | None


def get_order(engine: Engine, order_id: int, parts: frozenset[str] | None = None) -> OrderView:
    """Read an order and its rows from one read-only snapshot; nothing is written.

    ``parts`` (default: all of ``PARTS``) names the parts read, one query each; the
    others are left empty (the API reads only those its response shows).

    Raises:
        InvalidInput: an id out of range. NotFound: no such order.
    """
    check_id("order", order_id)
    with read_snapshot(engine) as conn:
        return read_order(conn, order_id, parts)


def read_order(conn: Connection, order_id: int, parts: frozenset[str] | None = None) -> OrderView:
    """Read an order in the connection's current transaction (a helper: it never commits).

    ``parts`` (default: all of ``PARTS``) names the parts read; the others are left
    empty, which is what they are for an order just placed (no payment, no shipment).

    Raises:
        NotFound: no such order.
    """
    head = conn.execute(_HEAD_BY_ID, {"order_id": order_id}).one_or_none()
    if head is None:
        raise NotFound(f"order {order_id} does not exist")
    return read_order_views(conn, [head._mapping], frozenset(PARTS) if parts is None else parts)[0]


PARTS = ("items", "payments", "history", "shipment")
"""The parts of an order besides its own row, each read by one query for many orders."""

_HEAD = (
    orders.c.order_id,
    orders.c.user_id,
    orders.c.status,
    orders.c.total_cents,
    orders.c.created_at,
    orders.c.updated_at,
    orders.c.ship_country_code,
    orders.c.ship_city,
)

# The statements are built once: building a Core statement and computing its cache key
# cost several times what executing it does (the order's row on SQLite: 100 µs per read
# built each time, 23 µs built once), and the API reads an order back after every write
# that answers with one.
_HEAD_BY_ID = select(*_HEAD).where(orders.c.order_id == bindparam("order_id"))
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)


def read_order_views(
    conn: Connection, heads: Sequence[Mapping[Any, Any]], parts: frozenset[str]
) -> list[OrderView]:
    """The orders whose rows are ``heads`` (the columns of ``orders``), with ``parts``.

    One query per part names every order of ``heads`` at once (a page of orders costs
    what one order does, not one read per order); a part not named is left empty. A
    helper in the connection's current transaction: it never commits.
    """
    ids = [int(h["order_id"]) for h in heads]
    found = {name: _READERS[name](conn, ids) if name in parts and ids else {} for name in PARTS}
    return [
        OrderView(
            order_id=order_id,
            user_id=int(head["user_id"]),
            status=str(head["status"]),
            total_cents=int(head["total_cents"]),
            created_at=head["created_at"],
            updated_at=head["updated_at"],
            ship_country_code=head["ship_country_code"],
            ship_city=head["ship_city"],
            items=found["items"].get(order_id, ()),
            payments=found["payments"].get(order_id, ()),
            history=found["history"].get(order_id, ()),
            shipment=found["shipment"].get(order_id),
        )
        for order_id, head in zip(ids, heads, strict=True)
    ]


def _grouped(rows: Iterable[Any], make: Callable[[Any], Any]) -> dict[int, tuple[Any, ...]]:
    grouped: dict[int, list[Any]] = {}
    for row in rows:
        grouped.setdefault(int(row.order_id), []).append(make(row))
    return {order_id: tuple(found) for order_id, found in grouped.items()}


_ITEMS = (
    select(
        order_items.c.order_id,
        order_items.c.product_id,
        products.c.sku,
        products.c.name,
        order_items.c.quantity,
        order_items.c.unit_price_cents,
    )
    .join(products, products.c.product_id == order_items.c.product_id)
    .where(order_items.c.order_id.in_(_IDS))
    .order_by(order_items.c.order_id, order_items.c.product_id)
)


def _items(conn: Connection, ids: list[int]) -> dict[int, tuple[OrderItemView, ...]]:
    rows = conn.execute(_ITEMS, {"ids": ids})
    return _grouped(
        rows,
        lambda r: OrderItemView(
            int(r.product_id), r.sku, r.name, int(r.quantity), int(r.unit_price_cents)
        ),
    )


PAYMENT_COLUMNS = (
    payments.c.payment_id,
    payments.c.order_id,
    payments.c.amount_cents,
    payments.c.method,
    payments.c.status,
    payments.c.idempotency_key,
    payments.c.created_at,
    payments.c.refunded_at,
)
"""A payment as the views read it (an order's payments here, the payments list in
``browse``)."""

_PAYMENTS = (
    select(*PAYMENT_COLUMNS).where(payments.c.order_id.in_(_IDS)).order_by(payments.c.payment_id)
)


def _payments(conn: Connection, ids: list[int]) -> dict[int, tuple[PaymentView, ...]]:
    rows = conn.execute(_PAYMENTS, {"ids": ids})
    return _grouped(
        rows,
        lambda r: PaymentView(
            int(r.payment_id),
            int(r.amount_cents),
            r.method,
            r.status,
            r.idempotency_key,
            r.created_at,
            r.refunded_at,
        ),
    )


_HISTORY = (
    select(
        order_status_history.c.order_id,
        order_status_history.c.from_status,
        order_status_history.c.to_status,
        order_status_history.c.changed_at,
    )
    .where(order_status_history.c.order_id.in_(_IDS))
    .order_by(order_status_history.c.history_id)
)


def _history(conn: Connection, ids: list[int]) -> dict[int, tuple[StatusChangeView, ...]]:
    rows = conn.execute(_HISTORY, {"ids": ids})
    return _grouped(rows, lambda r: StatusChangeView(r.from_status, r.to_status, r.changed_at))


_SHIPMENT = select(
    shipments.c.order_id,
    shipments.c.carrier,
    shipments.c.tracking_number,
    shipments.c.shipped_at,
    shipments.c.delivered_at,
).where(shipments.c.order_id.in_(_IDS))


def _shipment(conn: Connection, ids: list[int]) -> dict[int, ShipmentView]:
    rows = conn.execute(_SHIPMENT, {"ids": ids})
    return {
        int(r.order_id): ShipmentView(r.carrier, r.tracking_number, r.shipped_at, r.delivered_at)
        for r in rows
    }


_READERS: dict[str, Callable[[Connection, list[int]], dict[int, Any]]] = {
    "items": _items,
    "payments": _payments,
    "history": _history,
    "shipment": _shipment,
}
