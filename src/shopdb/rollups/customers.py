"""A customer's rollup rows, kept exact in the services' transactions: ``customer_sales``,
the customer's links in ``customer_days`` and their cohort rows (``customer_cohorts``),
all under the customer's row lock.

``order_changed`` is called (by ``maintain``) when one of the customer's orders enters or
leaves the recognized statuses, after the status change. Only the same customer's
concurrent payments wait for each other here; two customers never do.

- **Two statements in the common case**: the order's day already holds another of the
  customer's recognized orders, as their first or last (a customer's second order of
  the day; a refund of an order strictly between two others when one of them is on its
  day). A conditional ``UPDATE`` of the customer's row then changes count, spend and, on
  a payment, first and last within that day; no customer-day comes or goes and no new
  customer moves between days. An ``INSERT ... SELECT`` of the row just updated moves
  the customer between RFM groups (``rollups.recency_frequency``).
- **Otherwise** the row is read under ``SELECT ... FOR UPDATE`` and written back. The
  relinking rows of ``customer_days`` come from that row where it tells them
  (``customer_days.links_from_row``: a first payment, a day after the last or before
  the first); only when it cannot (a day between the first and the last, or the first or
  last order leaving) are the customer's recognized orders read, with a locking read,
  once for all three tables. The customer's move between RFM groups comes from the row
  before and after (one insert). ``customer_cohorts`` changes only on this path (the
  common case keeps the customer's first day and the order's month), and is written
  only when a first day or an active month comes or goes (``rollups.cohorts``).

On any error the caller's transaction rolls back, and with it every row written here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy import and_, bindparam, case, or_, select, update
from sqlalchemy.engine import Connection

from shopdb.db.backend import backend_of
from shopdb.db.rollup_schema import customer_sales
from shopdb.db.schema import orders
from shopdb.db.types import Cents, Id, UtcDateTime
from shopdb.lifecycle import RECOGNIZED_STATUSES
from shopdb.rollups import cohorts, customer_days, recency_frequency
from shopdb.rollups.buckets import day_index, day_start


class CustomerOrder(Protocol):
    """What the customer's rollups need of the order that changed."""

    @property
    def order_id(self) -> int: ...
    @property
    def user_id(self) -> int: ...
    @property
    def total_cents(self) -> int: ...
    @property
    def created_at(self) -> datetime: ...


NewCustomerMoves = dict[int, tuple[int, int]]
"""Per day: the change in new customers and in their first orders' revenue."""


def order_changed(
    conn: Connection, order: CustomerOrder, sign: int, at: datetime
) -> NewCustomerMoves:
    """Apply the order's entry (``sign`` 1) into the recognized statuses or its exit (-1)
    to its customer's rows; return the change in new customers and their revenue per day
    (the customer's first recognized order became another one; no entry when it did
    not)."""
    day = day_index(order.created_at)
    binds = {
        "b_user": order.user_id,
        "b_total": order.total_cents,
        "b_placed": order.created_at,
        "b_day0": day_start(day),
        "b_day1": day_start(day + 1),
    }
    if conn.execute(_ADD_SAME_DAY if sign > 0 else _REMOVE_SAME_DAY, binds).rowcount == 1:
        recency_frequency.append_same_day(conn, order.user_id, sign, order.total_cents, at)
        return {}
    return _changed_locked(conn, order, sign, at)


_USER = bindparam("b_user", type_=Id)
_TOTAL = bindparam("b_total", type_=Cents)
_PLACED = bindparam("b_placed", type_=UtcDateTime())
_DAY0 = bindparam("b_day0", type_=UtcDateTime())
_DAY1 = bindparam("b_day1", type_=UtcDateTime())
_C = customer_sales.c
_DAY_HELD = or_(
    and_(_C.first_order_at >= _DAY0, _C.first_order_at < _DAY1),
    and_(_C.last_order_at >= _DAY0, _C.last_order_at < _DAY1),
)
"""The customer's first or last recognized order was placed on the order's day."""
_ADD_SAME_DAY = (
    update(customer_sales)
    .where(
        _C.user_id == _USER,
        _DAY_HELD,
        _C.first_order_at < _PLACED,
        _C.last_order_at != _DAY0,
    )
    .values(
        order_count=_C.order_count + 1,
        spend_cents=_C.spend_cents + _TOTAL,
        last_order_at=case((_C.last_order_at < _PLACED, _PLACED), else_=_C.last_order_at),
    )
)
"""A payment of an order placed after the customer's first recognized order, on a day
that holds their first or last (an order placed on it, as the row counts only other
orders): the day stays a customer-day and the first order stays the first (an order
placed before it, or at the same instant, would need its total and id: the locked
path). Not when the last order was placed at the day's midnight exactly: a later one on
the day would move the day the customer's recency counts from
(``buckets.day_ceiling``), which elsewhere stays. Each SET reads only its own column:
MariaDB assigns left to right, so a later SET would see an earlier one's new value."""

_REMOVE_SAME_DAY = (
    update(customer_sales)
    .where(
        _C.user_id == _USER,
        _C.first_order_at < _PLACED,
        _C.last_order_at > _PLACED,
        _DAY_HELD,
    )
    .values(order_count=_C.order_count - 1, spend_cents=_C.spend_cents - _TOTAL)
)
"""A cancellation or refund of an order strictly between the customer's first and last,
one of which is on its day: neither moves and the day keeps a recognized order."""

_LOCK_CUSTOMER = (
    select(_C.order_count, _C.spend_cents, _C.first_order_at, _C.last_order_at)
    .where(_C.user_id == _USER)
    .with_for_update()
)
_WRITE_CUSTOMER = (
    update(customer_sales)
    .where(_C.user_id == _USER)
    .values(
        order_count=bindparam("b_count", type_=Cents),
        spend_cents=bindparam("b_spend", type_=Cents),
        first_order_at=bindparam("b_first", type_=UtcDateTime()),
        last_order_at=bindparam("b_last", type_=UtcDateTime()),
    )
)
# a locking read: on MariaDB's repeatable read a plain read could see an older snapshot
# than the customer row just locked
_RECOGNIZED_ORDERS = (
    select(orders.c.created_at, orders.c.order_id, orders.c.total_cents)
    .where(orders.c.user_id == _USER, orders.c.status.in_(RECOGNIZED_STATUSES))
    .with_for_update(read=True)
)

HeldOrder = tuple[datetime, int, int]
"""A recognized order: placed at, id, total. Tuples compare as orders are numbered: in
time order, ties by id."""


def _changed_locked(
    conn: Connection, order: CustomerOrder, sign: int, at: datetime
) -> NewCustomerMoves:
    """Lock the customer's row, read it, and write it back (inserting it first for a
    user who signed up after the last rebuild); append the customer-day links."""
    row = conn.execute(_LOCK_CUSTOMER, {"b_user": order.user_id}).one_or_none()
    if row is None:
        _insert_zero_row(conn, order.user_id)
        row = conn.execute(_LOCK_CUSTOMER, {"b_user": order.user_id}).one()
    count, spend, first, last = int(row[0]), int(row[1]), row[2], row[3]
    placed = order.created_at
    cached: list[HeldOrder] | None = None  # the customer's recognized orders, read once

    def recognized_orders() -> Sequence[HeldOrder]:
        nonlocal cached
        if cached is None:
            read = conn.execute(_RECOGNIZED_ORDERS, {"b_user": order.user_id})
            cached = [(t, int(i), int(c)) for t, i, c in read]
        return cached

    def recognized() -> Sequence[datetime]:
        return [t for t, _, _ in recognized_orders()]

    spend += sign * order.total_cents
    if sign > 0:
        new_first = placed if first is None or placed < first else first
        new_last = placed if last is None or placed > last else last
    elif count <= 1:
        new_first = new_last = None
    elif placed in (first, last):
        # the first or last order may have left: ask the base table (the order's own
        # change is already visible to this transaction)
        held = recognized()
        new_first, new_last = (min(held), max(held)) if held else (None, None)
    else:
        new_first, new_last = first, last
    values = {"b_count": count + sign, "b_spend": spend, "b_first": new_first, "b_last": new_last}
    conn.execute(_WRITE_CUSTOMER, {"b_user": order.user_id, **values})
    before = (count, spend - sign * order.total_cents, last)
    moves = recency_frequency.changes(before, (count + sign, spend, new_last))
    recency_frequency.append(conn, moves, at)
    changes = customer_days.links_from_row(count, first, last, placed, sign)
    if changes is None:
        days = [day_index(t) for t in recognized()]
        changes = customer_days.links(days, day_index(placed), sign)
    customer_days.append(conn, changes, at)
    moved = cohorts.changes_from_row(count, first, last, placed, sign)
    if moved is None:
        moved = cohorts.changes(recognized(), placed, sign)
    cohorts.append(conn, moved, at)
    return _new_customer_moves(*_first_orders(order, sign, count, first, recognized_orders))


def _first_orders(
    order: CustomerOrder,
    sign: int,
    count: int,
    first: datetime | None,
    recognized_orders: Callable[[], Sequence[HeldOrder]],
) -> tuple[HeldOrder | None, HeldOrder | None]:
    """The customer's first recognized order before the change and after it (the same
    when it stays); their orders are read only when the order is placed at or before
    the first (the order's own change is already visible to this transaction)."""
    this: HeldOrder = (order.created_at, order.order_id, order.total_cents)
    if sign > 0:
        if first is None:
            return None, this
        if order.created_at > first:
            return None, None
        now = recognized_orders()
        return min(o for o in now if o[1] != order.order_id), min(now)
    if count <= 1:
        return this, None
    if first is None or order.created_at > first:
        return None, None
    now = recognized_orders()
    return min((*now, this)), min(now) if now else None


def _new_customer_moves(before: HeldOrder | None, after: HeldOrder | None) -> NewCustomerMoves:
    """One fewer new customer (and their first order's total) on the old first order's
    day, one more on the new one's."""
    moves: dict[int, tuple[int, int]] = {}
    if before == after:
        return moves
    for held, change in ((before, -1), (after, 1)):
        if held is not None:
            day = day_index(held[0])
            n, cents = moves.get(day, (0, 0))
            moves[day] = (n + change, cents + change * held[2])
    return {day: move for day, move in moves.items() if move != (0, 0)}


def _insert_zero_row(conn: Connection, user_id: int) -> None:
    """Insert the customer's empty row unless a concurrent transaction just did."""
    values = {"user_id": user_id, "order_count": 0, "spend_cents": 0}
    conn.execute(backend_of(conn).insert_or_ignore(customer_sales).values(values))
