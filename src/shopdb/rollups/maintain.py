"""Keeping the rollups exact inside the services' own transactions: one call per change.

The services call ``order_status_changed`` wherever an order's status changes (the one
place that writes ``orders.status``). Only a change into or out of a recognized status
(``lifecycle.RECOGNIZED_STATUSES``) touches the rollups:

- ``rollup_deltas`` gets one appended row per item of the order and one for the order
  itself (its count and total, and any change in new customers), in one
  ``INSERT ... SELECT`` that reads the order's items: no shop-wide row is locked, so
  concurrent checkouts never queue behind each other here. The rows are dated by the
  day the order was *placed*, so paying, cancelling or refunding an older order changes
  that day's figures. On MariaDB (``Backend.insert_select_locks``) the items come with
  the order's own locking read instead (``items_with_lock``) and the rows are inserted
  as values: an ``INSERT ... SELECT`` there locks the index gap where the next checkout
  inserts its items, and a SELECT of their own would cost a round trip.
- ``product_pairs`` needs nothing more: the order's own row carries its ``order_id``,
  and the fold and the readers take its pairs from its items (``rollups.pairs``).
- ``order_event_deltas`` gets one row on every status change (recognized or not) and
  on placing (``order_placed``): +1 in the funnel stage the order enters; and one per
  payment attempt (``payment_made``; a payment that pays its order adds its row to the
  status change's insert) and one per payment refunded (``payments_refunded``, after
  one read of the order's payments just refunded). See ``rollups.order_events``.
- ``customer_sales`` and ``customer_day_deltas`` get the customer's rows, under the
  customer's row lock (``rollups.customers``): per customer, so only the same
  customer's concurrent payments wait for each other. In the common case (the order's
  day already holds the customer's first or last recognized order) that is one
  conditional ``UPDATE``, so a payment adds two statements in all, whatever the
  order's size.

On any error the caller's transaction rolls back, and with it every row written here.
An engine with the execution option ``shopdb_rollups=False`` skips all of this (the
benchmark's switch); its rollups are then stale until ``shopdb rollups rebuild``.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import Insert, bindparam, func, insert, literal, null, select, union_all
from sqlalchemy.engine import Connection
from sqlalchemy.sql.selectable import CompoundSelect, ScalarSelect

from shopdb.db.backend import backend_of
from shopdb.db.rollup_schema import rollup_deltas
from shopdb.db.schema import order_items, orders
from shopdb.db.types import Cents, Id, UtcDateTime
from shopdb.lifecycle import INITIAL_STATUS, RECOGNIZED_STATUSES, REFUNDED, TRANSITIONS
from shopdb.rollups import countries, customers, order_events
from shopdb.rollups.buckets import day_index, month_index, month_of_day
from shopdb.rollups.fold import add_deltas
from shopdb.rollups.pairs import add_order_pairs

MAINTAIN_OPTION = "shopdb_rollups"
"""Execution option: ``False`` on an engine turns rollup maintenance off (benchmarks)."""

COUNTER_ROWS = "counter-rows"
"""``MAINTAIN_OPTION``'s value for the naive design ``bench oltp --counter-rows`` measures
against: the day's, products' and months' rows are updated in place in the service's
transaction (``UPDATE ... SET revenue = revenue + x`` as an upsert), so every checkout
of the day holds the day's row lock until it commits. Exact, but not for production."""


class ChangedOrder(customers.CustomerOrder, Protocol):
    """What the rollups need of an order whose status changes (``LockedOrder`` has it):
    what its customer's rows need, its id, and its items if they were read with it."""

    @property
    def order_id(self) -> int: ...
    @property
    def items_json(self) -> str | None:
        """The order's items as ``items_with_lock`` read them, or None (read here)."""
        ...


_RECOGNITION_TARGETS = frozenset(
    target
    for source, targets in TRANSITIONS.items()
    for target in targets
    if (source in RECOGNIZED_STATUSES) != (target in RECOGNIZED_STATUSES)
)
"""The statuses a change into may enter or leave the recognized ones: paid, cancelled,
refunded."""


def items_with_lock(conn: Connection, target: str) -> ScalarSelect[Any] | None:
    """What the order's locking read should also read for a change into ``target``: the
    order's items as one JSON array of ``[product_id, quantity, unit_price_cents]``,
    where the rollups will need them and only a plain read may take them
    (``Backend.insert_select_locks``); None elsewhere, or when nothing is maintained.

    MariaDB reads a scalar subquery of a ``SELECT ... FOR UPDATE`` as a consistent,
    non-locking read (the join form and ``INSERT ... SELECT`` lock the items' index
    gap), so the items arrive in the order's own round trip instead of a SELECT of
    their own. An order's items never change once it is placed.
    """
    if target not in _RECOGNITION_TARGETS or not backend_of(conn).insert_select_locks:
        return None
    if conn.get_execution_options().get(MAINTAIN_OPTION, True) is not True:
        return None
    return _ITEMS_JSON


_ITEMS_JSON = (
    select(
        func.json_arrayagg(
            func.json_array(
                order_items.c.product_id, order_items.c.quantity, order_items.c.unit_price_cents
            )
        )
    )
    .where(order_items.c.order_id == orders.c.order_id)
    .scalar_subquery()
)


def order_status_changed(
    conn: Connection,
    order: ChangedOrder,
    before: str | None,
    after: str,
    at: datetime,
    *,
    payment: order_events.PaymentMade | None = None,
) -> None:
    """Record in the rollups that ``order`` moved from ``before`` to ``after`` (because
    of ``payment``, a payment just written, if given).

    Call it in the transaction that changes the status, after the change. Appends the
    funnel's row (and the payment's) to ``order_event_deltas`` for every change; the
    rest only when the order enters or leaves the recognized statuses.
    """
    sign = _sign(before, after)
    mode = conn.get_execution_options().get(MAINTAIN_OPTION, True)
    if mode is False:
        return
    events = [order_events.funnel_row(order.created_at, after, order.total_cents, at)]
    if payment is not None:
        events.append(order_events.payment_row(payment, at))
    order_events.append(conn, events)
    if sign == 0:
        return
    day = day_index(order.created_at)
    # the customer's rows first: their row lock orders the same customer's changes
    new_customers = customers.order_changed(conn, order, sign, at)
    extra = [(d, *move) for d, move in sorted(new_customers.items()) if d != day]
    params = _binds(order, sign, after, at, new_customers.get(day, (0, 0)), extra)
    if mode == COUNTER_ROWS:
        # the same rows, added to the folded ones in place (created_at, order_id left out)
        rows = conn.execute(_delta_rows(len(extra)), params).all()
        add_deltas(conn, [row[:7] + row[9:] for row in rows])
        add_order_pairs(conn, order.order_id, day, sign)
        countries.fold_orders(conn, [(order.order_id, day, sign, sign * order.total_cents)])
    elif backend_of(conn).insert_select_locks:
        _append_from_items(conn, order, _items(conn, order), sign, at, params, extra)
    else:
        conn.execute(_append_deltas(len(extra)), params)


def _binds(
    order: ChangedOrder,
    sign: int,
    after: str,
    at: datetime,
    new: tuple[int, int],
    extra: list[tuple[int, int, int]],
) -> dict[str, object]:
    """The values the change-log statements bind (``_delta_rows``)."""
    params: dict[str, object] = {
        "b_order": order.order_id,
        "b_sign": sign,
        "b_total": sign * order.total_cents,
        "b_at": at,
        "b_day": day_index(order.created_at),
        "b_month": month_index(order.created_at),
        "b_new": new[0],
        "b_new_revenue": new[1],
        # an order leaving the recognized statuses for refunded keeps its units sold
        "b_refunded": int(sign < 0 and after == REFUNDED),
    }
    for i, (d, n, cents) in enumerate(extra):
        params[f"b_xday{i}"] = d
        params[f"b_xmonth{i}"] = month_of_day(d)
        params[f"b_xnew{i}"] = n
        params[f"b_xnewrev{i}"] = cents
    return params


def _items(conn: Connection, order: ChangedOrder) -> list[tuple[int, int, int]]:
    """The order's items (product, quantity, unit price): as read with its lock, or by
    a plain read."""
    if order.items_json is not None:
        return [(int(p), int(q), int(c)) for p, q, c in json.loads(order.items_json)]
    read = conn.execute(_ORDER_ITEMS, {"b_order": order.order_id})
    return [(int(p), int(q), int(c)) for p, q, c in read]


def order_placed(conn: Connection, placed_at: datetime) -> None:
    """Record in the rollups a new order placed at ``placed_at`` (``pending``): only the
    funnel counts it. Call it in the transaction that inserts the order."""
    if _maintained(conn):
        row = order_events.funnel_row(placed_at, INITIAL_STATUS, 0, placed_at)
        order_events.append(conn, [row])


def payment_made(conn: Connection, payment: order_events.PaymentMade, at: datetime) -> None:
    """Record in the rollups a payment attempt that changes no status (a declined one).
    Call it in the transaction that writes the payment."""
    if _maintained(conn):
        order_events.append(conn, [order_events.payment_row(payment, at)])


def payments_refunded(conn: Connection, order_id: int, at: datetime) -> None:
    """Record in the rollups that the order's completed payments became refunded at
    ``at``. Call it in the transaction that refunds them, after the change."""
    if _maintained(conn):
        order_events.append(conn, order_events.refund_rows(conn, order_id, at))


def _maintained(conn: Connection) -> bool:
    return conn.get_execution_options().get(MAINTAIN_OPTION, True) is not False


_ORDER_ITEMS = select(
    order_items.c.product_id, order_items.c.quantity, order_items.c.unit_price_cents
).where(order_items.c.order_id == bindparam("b_order", type_=Id))
_INSERT_DELTAS = insert(rollup_deltas)


def _append_from_items(
    conn: Connection,
    order: ChangedOrder,
    items: list[tuple[int, int, int]],
    sign: int,
    at: datetime,
    params: dict[str, object],
    extra: list[tuple[int, int, int]],
) -> None:
    """``_append_deltas`` and ``pairs_changed`` from a plain read of the order's items
    (``Backend.insert_select_locks``): a consistent read locks nothing, and an order's
    items never change once it is placed. One multi-row insert."""
    day, month = params["b_day"], params["b_month"]
    refunded = 1 if params["b_refunded"] else 0
    rows: list[dict[str, object]] = [
        _delta(day, month, p, sign, sign * q, sign * q * price, 0, at, None, refunded * q, 0)
        for p, q, price in items
    ]
    total, new, cents = params["b_total"], params["b_new"], params["b_new_revenue"]
    rows.append(_delta(day, month, None, sign, 0, total, new, at, order.order_id, 0, cents))
    rows += [_delta(d, month_of_day(d), None, 0, 0, 0, n, at, None, 0, c) for d, n, c in extra]
    conn.execute(_INSERT_DELTAS, rows)


def _delta(*values: object) -> dict[str, object]:
    return dict(zip(_DELTA_COLUMNS, values, strict=True))


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
    "order_id",
    "refunded_units",
    "new_revenue_cents",
)


@lru_cache(maxsize=8)
def _append_deltas(extra_days: int) -> Insert:
    """One statement: a row per item of the order, the order's row (with the change in
    new customers on its day and in their first orders' revenue, ``b_new`` and
    ``b_new_revenue``, and the order's id for its pairs), and ``extra_days`` rows that
    move a new customer and their first order's total to or from another day; no round
    trip to read the items."""
    return insert(rollup_deltas).from_select(list(_DELTA_COLUMNS), _delta_rows(extra_days))


@lru_cache(maxsize=8)
def _delta_rows(extra_days: int) -> CompoundSelect[Any]:
    """The rows ``_append_deltas`` appends, as a SELECT."""
    new = bindparam("b_new", type_=Cents)
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
        null(),
        bindparam("b_refunded", type_=Cents) * order_items.c.quantity,
        literal(0, Cents),
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
        bindparam("b_order", type_=Id),
        literal(0, Cents),
        bindparam("b_new_revenue", type_=Cents),
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
            null(),
            literal(0, Cents),
            bindparam(f"b_xnewrev{i}", type_=Cents),
        )
        for i in range(extra_days)
    ]
    return union_all(items, shop, *moved)
