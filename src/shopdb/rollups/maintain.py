"""Keeping the rollups exact inside the services' own transactions: one call per change.

The services call ``order_status_changed`` wherever an order's status changes (the one
place that writes ``orders.status``). Only a change into or out of a recognized status
(``lifecycle.RECOGNIZED_STATUSES``) touches the rollups:

- ``rollup_deltas`` gets one appended row per item of the order and one for the order
  itself (its count and total, and any change in new customers), in one
  ``INSERT ... SELECT`` that reads the order's items: no shop-wide row is locked, so
  concurrent checkouts never queue behind each other here. The rows are dated by the
  day the order was *placed*, so paying, cancelling or refunding an older order changes
  that day's figures.
- ``product_pair_deltas`` gets a row per pair of the order's items (``rollups.pairs``),
  another append.
- ``customer_sales`` gets the customer's row updated under its row lock: per customer,
  so only the same customer's concurrent payments wait for each other. The common cases
  (a customer's first payment; a later order paid after an earlier first; a removal
  that moves neither first nor last) are one conditional ``UPDATE``, and the delta
  insert reads from that row whether the order made a new customer, so a payment adds
  two statements; otherwise the row is read under ``SELECT ... FOR UPDATE`` first.

On any error the caller's transaction rolls back, and with it every row written here.
An engine with the execution option ``shopdb_rollups=False`` skips all of this (the
benchmark's switch); its rollups are then stale until ``shopdb rollups rebuild``.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import (
    Insert,
    bindparam,
    case,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql.selectable import CompoundSelect

from shopdb.db.backend import backend_of
from shopdb.db.rollup_schema import customer_sales, rollup_deltas
from shopdb.db.schema import order_items, orders
from shopdb.db.types import Cents, Id, UtcDateTime
from shopdb.lifecycle import RECOGNIZED_STATUSES
from shopdb.rollups.buckets import day_index, month_index, month_of_day
from shopdb.rollups.customer_days import customer_day_changed
from shopdb.rollups.fold import add_deltas
from shopdb.rollups.pairs import pairs_changed

MAINTAIN_OPTION = "shopdb_rollups"
"""Execution option: ``False`` on an engine turns rollup maintenance off (benchmarks)."""

COUNTER_ROWS = "counter-rows"
"""``MAINTAIN_OPTION``'s value for the naive design ``bench oltp --counter-rows`` measures
against: the day's, products' and months' rows are updated in place in the service's
transaction (``UPDATE ... SET revenue = revenue + x`` as an upsert), so every checkout
of the day holds the day's row lock until it commits. Exact, but not for production."""


class ChangedOrder(Protocol):
    """What the rollups need of an order whose status changes (``LockedOrder`` has it)."""

    @property
    def order_id(self) -> int: ...
    @property
    def user_id(self) -> int: ...
    @property
    def total_cents(self) -> int: ...
    @property
    def created_at(self) -> datetime: ...


def order_status_changed(
    conn: Connection, order: ChangedOrder, before: str | None, after: str, at: datetime
) -> None:
    """Record in the rollups that ``order`` moved from ``before`` to ``after``.

    Call it in the transaction that changes the status, after the change. Does nothing
    unless the order enters or leaves the recognized statuses.
    """
    sign = _sign(before, after)
    mode = conn.get_execution_options().get(MAINTAIN_OPTION, True)
    if sign == 0 or mode is False:
        return
    day = day_index(order.created_at)
    new_customers = {day: 0}
    firsts = _update_customer(conn, order, sign)
    customer_day_changed(conn, order.user_id, order.created_at, sign, at)  # under its lock
    if firsts is not None and firsts[0] != firsts[1]:
        # the customer's first recognized order moved: one fewer new customer on the old
        # day, one more on the new (the same day when both are)
        for first, change in ((firsts[0], -1), (firsts[1], 1)):
            if first is not None:
                first_day = day_index(first)
                new_customers[first_day] = new_customers.get(first_day, 0) + change
    # after the one-statement payment the customer's row tells whether this order made
    # a new customer (its first), so the delta insert reads it there: no round trip
    from_row = firsts is None and sign > 0
    params: dict[str, object] = {
        "b_user": order.user_id,
        "b_order": order.order_id,
        "b_sign": sign,
        "b_total": sign * order.total_cents,
        "b_at": at,
        "b_day": day,
        "b_month": month_index(order.created_at),
    }
    extra = [d for d, change in new_customers.items() if d != day and change != 0]
    params["b_new"] = new_customers[day]
    for i, d in enumerate(extra):
        params[f"b_xday{i}"] = d
        params[f"b_xmonth{i}"] = month_of_day(d)
        params[f"b_xnew{i}"] = new_customers[d]
    if mode == COUNTER_ROWS:
        # the same rows, added to the folded ones in place (created_at left out)
        rows = conn.execute(_delta_rows(len(extra), from_row), params)
        add_deltas(conn, [row[:-1] for row in rows])
    else:
        conn.execute(_append_deltas(len(extra), from_row), params)
    pairs_changed(conn, order.order_id, order.created_at, sign, at)


def _sign(before: str | None, after: str) -> int:
    was, now = before in RECOGNIZED_STATUSES, after in RECOGNIZED_STATUSES
    return 0 if was == now else (1 if now else -1)


_DELTA_COLUMNS = (
    "day_index",
    "month_index",
    "product_id",
    "order_count",
    "units",
    "revenue_cents",
    "new_customer_count",
    "created_at",
)


@lru_cache(maxsize=8)
def _append_deltas(extra_days: int, new_from_row: bool) -> Insert:
    """One statement: a row per item of the order, the order's row, and ``extra_days``
    rows that move a new customer to another day; no round trip to read the items.

    With ``new_from_row`` the order's row counts a new customer when the customer's
    ``customer_sales`` row (just updated in this transaction) holds one order; otherwise
    it binds ``b_new``."""
    return insert(rollup_deltas).from_select(
        list(_DELTA_COLUMNS), _delta_rows(extra_days, new_from_row)
    )


@lru_cache(maxsize=8)
def _delta_rows(extra_days: int, new_from_row: bool) -> CompoundSelect[Any]:
    """The rows ``_append_deltas`` appends, as a SELECT."""
    new = (
        select(case((customer_sales.c.order_count == 1, 1), else_=0))
        .where(customer_sales.c.user_id == bindparam("b_user", type_=Id))
        .scalar_subquery()
        if new_from_row
        else bindparam("b_new", type_=Cents)
    )
    at = bindparam("b_at", type_=UtcDateTime())
    sign = bindparam("b_sign", type_=Cents)
    items = select(
        bindparam("b_day", type_=Cents),
        bindparam("b_month", type_=Cents),
        order_items.c.product_id,
        sign,
        sign * order_items.c.quantity,
        sign * order_items.c.quantity * order_items.c.unit_price_cents,
        literal(0, Cents),
        at,
    ).where(order_items.c.order_id == bindparam("b_order", type_=Id))
    shop = select(
        bindparam("b_day", type_=Cents),
        bindparam("b_month", type_=Cents),
        null(),
        sign,
        literal(0, Cents),
        bindparam("b_total", type_=Cents),
        new,
        at,
    )
    moved = [
        select(
            bindparam(f"b_xday{i}", type_=Cents),
            bindparam(f"b_xmonth{i}", type_=Cents),
            null(),
            literal(0, Cents),
            literal(0, Cents),
            literal(0, Cents),
            bindparam(f"b_xnew{i}", type_=Cents),
            at,
        )
        for i in range(extra_days)
    ]
    return union_all(items, shop, *moved)


_LOCK_CUSTOMER = (
    select(
        customer_sales.c.order_count,
        customer_sales.c.spend_cents,
        customer_sales.c.first_order_at,
        customer_sales.c.last_order_at,
    )
    .where(customer_sales.c.user_id == bindparam("b_user"))
    .with_for_update()
)


def _update_customer(
    conn: Connection, order: ChangedOrder, sign: int
) -> tuple[datetime | None, datetime | None] | None:
    """Apply the order to its customer's row; return the first order time before and after
    (two equal values when it did not move), or None after the one-statement path (a
    payment that makes the order the customer's first or keeps an earlier first; a
    removal that moves neither first nor last)."""
    binds = {"b_user": order.user_id, "b_total": order.total_cents, "b_at": order.created_at}
    if conn.execute(_ADD_ORDER if sign > 0 else _REMOVE_ORDER, binds).rowcount == 1:
        return None
    return _update_customer_locked(conn, order, sign)


_AT = bindparam("b_at", type_=UtcDateTime())
_ADD_ORDER = (
    update(customer_sales)
    .where(
        customer_sales.c.user_id == bindparam("b_user", type_=Id),
        or_(customer_sales.c.first_order_at.is_(None), customer_sales.c.first_order_at < _AT),
    )
    .values(
        order_count=customer_sales.c.order_count + 1,
        spend_cents=customer_sales.c.spend_cents + bindparam("b_total", type_=Cents),
        first_order_at=func.coalesce(customer_sales.c.first_order_at, _AT),
        last_order_at=case(
            (
                or_(customer_sales.c.last_order_at.is_(None), customer_sales.c.last_order_at < _AT),
                _AT,
            ),
            else_=customer_sales.c.last_order_at,
        ),
    )
)
"""The common payment in one statement, its row lock included: the customer's first
recognized order (it becomes their first), or one after an earlier first (which stays);
no row changes (and the locked path runs) otherwise. Each SET reads only its own column:
MariaDB assigns left to right, so a later SET would see an earlier one's new value."""

_REMOVE_ORDER = (
    update(customer_sales)
    .where(
        customer_sales.c.user_id == bindparam("b_user", type_=Id),
        customer_sales.c.first_order_at < _AT,
        customer_sales.c.last_order_at > _AT,
    )
    .values(
        order_count=customer_sales.c.order_count - 1,
        spend_cents=customer_sales.c.spend_cents - bindparam("b_total", type_=Cents),
    )
)
"""A cancellation or refund of an order strictly between the customer's first and last in
one statement: neither moves. No row changes (and the locked path runs) otherwise."""


def _update_customer_locked(
    conn: Connection, order: ChangedOrder, sign: int
) -> tuple[datetime | None, datetime | None]:
    """Lock the customer's row, read it, and write it back: the first or last order
    moves, or the row is missing (a user who signed up after the last rebuild)."""
    row = conn.execute(_LOCK_CUSTOMER, {"b_user": order.user_id}).one_or_none()
    if row is None:
        _insert_zero_row(conn, order.user_id)
        row = conn.execute(_LOCK_CUSTOMER, {"b_user": order.user_id}).one()
    count, spend, first, last = int(row[0]), int(row[1]), row[2], row[3]
    at = order.created_at
    if sign > 0:
        new = (count + 1, spend + order.total_cents, min(first or at, at), max(last or at, at))
    elif count <= 1:
        new = (0, spend - order.total_cents, None, None)
    elif at in (first, last):
        # the customer's first or last order left the rollup: ask the base table (its own
        # change is already visible to this transaction)
        earliest, latest = _order_span(conn, order.user_id)
        new = (count - 1, spend - order.total_cents, earliest, latest)
    else:
        new = (count - 1, spend - order.total_cents, first, last)
    conn.execute(
        update(customer_sales)
        .where(customer_sales.c.user_id == order.user_id)
        .values(order_count=new[0], spend_cents=new[1], first_order_at=new[2], last_order_at=new[3])
    )
    return first, new[2]


def _order_span(conn: Connection, user_id: int) -> tuple[datetime | None, datetime | None]:
    # a locking read: on MariaDB's repeatable read a plain read could see an older
    # snapshot than the customer row just locked
    times = (
        conn.execute(
            select(orders.c.created_at)
            .where(orders.c.user_id == user_id, orders.c.status.in_(RECOGNIZED_STATUSES))
            .with_for_update(read=True)
        )
        .scalars()
        .all()
    )
    return (min(times), max(times)) if times else (None, None)


def _insert_zero_row(conn: Connection, user_id: int) -> None:
    """Insert the customer's empty row unless a concurrent transaction just did."""
    values = {"user_id": user_id, "order_count": 0, "spend_cents": 0}
    conn.execute(backend_of(conn).insert_or_ignore(customer_sales).values(values))
