"""Moving an order between statuses: the only code that writes ``orders.status``.

Every change is checked against ``shopdb.lifecycle.TRANSITIONS``, guarded by a
conditional ``UPDATE ... WHERE status = :expected`` and recorded in
``order_status_history`` with ``orders.updated_at``. Helpers take a Connection and never
commit: the calling service owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from shopdb.db.lake_log import touch
from shopdb.db.schema import order_status_history, orders
from shopdb.db.types import utcnow
from shopdb.errors import InvalidTransition, NotFound
from shopdb.lifecycle import can_transition
from shopdb.rollups.maintain import items_with_lock, order_status_changed
from shopdb.rollups.order_events import PaymentMade


@dataclass(frozen=True)
class LockedOrder:
    """An order's state as read under its row lock."""

    order_id: int
    user_id: int
    status: str
    total_cents: int
    created_at: datetime
    items_json: str | None = None
    """The items, when read for the rollups (``maintain.items_with_lock``)."""


def lock_order(conn: Connection, order_id: int, target: str | None = None) -> LockedOrder:
    """Read an order with ``SELECT ... FOR UPDATE`` (SQLite: under BEGIN IMMEDIATE).

    Locking first means concurrent changes to one order queue here and each then sees
    the status the previous one committed, on every backend's default isolation level.
    Given the ``target`` status the caller will move the order to, the same read also
    takes what the rollups' maintenance will need of the order there.

    Raises:
        NotFound: no such order.
    """
    columns: list[ColumnElement[Any]] = [
        orders.c.order_id,
        orders.c.user_id,
        orders.c.status,
        orders.c.total_cents,
        orders.c.created_at,
    ]
    items = None if target is None else items_with_lock(conn, target)
    if items is not None:
        columns.append(items)
    query = select(*columns).where(orders.c.order_id == order_id).with_for_update()
    row = conn.execute(query).one_or_none()
    if row is None:
        raise NotFound(f"order {order_id} does not exist")
    return LockedOrder(*row)


def require_transition(order: LockedOrder, target: str) -> None:
    """Raise ``InvalidTransition`` unless ``lifecycle.TRANSITIONS`` allows the change."""
    if not can_transition(order.status, target):
        raise InvalidTransition(order.order_id, order.status, target)


def change_status(
    conn: Connection,
    order: LockedOrder,
    target: str,
    now: datetime,
    *,
    payment: PaymentMade | None = None,
) -> None:
    """Move ``order`` from the status it was read in to ``target`` and record the change
    (``payment``: the payment just written that makes the change, for the rollups).

    Raises:
        InvalidTransition: the lifecycle forbids the change, or another transaction
            changed the status since it was read; nothing is written here.
    """
    require_transition(order, target)
    changed = conn.execute(
        update(orders)
        .where(orders.c.order_id == order.order_id, orders.c.status == order.status)
        .values(status=target, updated_at=now)
    )
    if changed.rowcount != 1:
        # only reachable without the row lock (a caller that skipped lock_order)
        current = conn.execute(
            select(orders.c.status).where(orders.c.order_id == order.order_id)
        ).scalar_one()
        raise InvalidTransition(order.order_id, current, target)
    record_status(conn, order.order_id, order.status, target, now)
    touch(conn, order.created_at, orders, order_status_history)
    order_status_changed(conn, order, order.status, target, now, payment=payment)


def move_order(
    conn: Connection, order_id: int, target: str, now: datetime | None
) -> tuple[LockedOrder, datetime]:
    """Lock an order, read the clock and move the order to ``target``; return both.

    The clock is read under the lock, so the change is dated after the order's last one.

    Raises:
        NotFound: no such order.
        InvalidTransition: the lifecycle forbids the change; nothing is written here.
    """
    order = lock_order(conn, order_id, target)
    at = now or utcnow()
    change_status(conn, order, target, at)
    return order, at


# inline: no RETURNING of the new history_id, which nothing reads
_INSERT_HISTORY = insert(order_status_history).inline()


def record_status(
    conn: Connection, order_id: int, from_status: str | None, to_status: str, now: datetime
) -> None:
    """Append one row to ``order_status_history``."""
    conn.execute(
        _INSERT_HISTORY,
        {
            "order_id": order_id,
            "from_status": from_status,
            "to_status": to_status,
            "changed_at": now,
        },
    )
