"""The ``customer_days`` rollup: distinct and returning customers of any range of days.

A distinct count is not a sum of days, so this rollup keys each customer-day (a
customer's UTC day with a recognized order) by its day and the customer's previous such
day; a range's customers are then a sum (see ``shopdb.db.rollup_schema.customer_days``).

- ``rebuild`` recomputes it from the orders (``build.rebuild`` runs it with the others).
- ``customer_day_changed`` keeps it exact in the services' transactions: when an
  order's recognition adds or removes a customer-day, it appends to
  ``customer_day_deltas`` the rows that relink the customer's neighbouring days. It
  runs under the customer's ``customer_sales`` row lock (``maintain``), and reads the
  customer's orders with a locking read, so the same customer's concurrent payments
  see each other's days.
- ``fold`` moves the deltas into ``customer_days`` (``build.refresh`` calls it).

On any error the caller's transaction rolls back, and with it every row written here.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Connection, Engine

from shopdb.db.rollup_schema import NO_EARLIER_DAY, customer_day_deltas, customer_days
from shopdb.db.schema import orders
from shopdb.lifecycle import RECOGNIZED_STATUSES
from shopdb.rollups.buckets import day_index

FOLD_BATCH = 50_000
"""Most deltas folded in one transaction."""


def customer_day_changed(
    conn: Connection, user_id: int, placed_at: datetime, sign: int, at: datetime
) -> None:
    """Record that the customer's order placed at ``placed_at`` became recognized
    (``sign`` 1) or stopped being (-1); the order's own change is already written.

    Nothing is appended when another recognized order of the customer keeps the day.
    """
    day = day_index(placed_at)
    times = (
        conn.execute(
            select(orders.c.created_at)
            .where(orders.c.user_id == user_id, orders.c.status.in_(RECOGNIZED_STATUSES))
            .with_for_update(read=True)
        )
        .scalars()
        .all()
    )
    days = sorted(day_index(t) for t in times)
    same_day = days.count(day)
    if same_day > (1 if sign > 0 else 0):
        return  # the day stays a customer-day either way
    others = [d for d in days if d != day]
    i = bisect.bisect_left(others, day)
    prev = others[i - 1] if i > 0 else NO_EARLIER_DAY
    following = others[i] if i < len(others) else None
    # adding the day links it after prev and before the following day; removing undoes it
    changes = [(day, prev, sign)]
    if following is not None:
        changes += [(following, prev, -sign), (following, day, sign)]
    conn.execute(
        insert(customer_day_deltas),
        [
            {"day_index": d, "prev_day_index": p, "customer_count": n, "created_at": at}
            for d, p, n in changes
        ],
    )


def refresh(engine: Engine) -> int:
    """Fold every delta visible now, a batch per transaction; return how many."""
    from shopdb.services._tx import run_in_transaction  # the services import this module

    folded = 0
    while True:
        count = run_in_transaction(engine, fold)
        folded += count
        if count < FOLD_BATCH:
            return folded


def fold(conn: Connection) -> int:
    """Fold up to ``FOLD_BATCH`` deltas into ``customer_days``; return how many.

    The deltas are deleted with ``DELETE ... RETURNING`` (exactly the rows read) in the
    caller's transaction, so a reader sees them either folded or pending, never both.
    """
    from shopdb.rollups.fold import _add as add_measures

    c = customer_day_deltas.c
    last = conn.execute(
        select(c.delta_id).order_by(c.delta_id).offset(FOLD_BATCH - 1).limit(1)
    ).scalar()
    if last is None:
        last = conn.execute(select(func.max(c.delta_id))).scalar()
    if last is None:
        return 0
    rows = conn.execute(
        delete(customer_day_deltas)
        .where(c.delta_id <= last)
        .returning(c.day_index, c.prev_day_index, c.customer_count)
    ).all()
    sums: dict[tuple[int, int], int] = defaultdict(int)
    for day, prev, count in rows:
        sums[(day, prev)] += count
    add_measures(
        conn,
        customer_days,
        [
            {"day_index": d, "prev_day_index": p, "customer_count": n}
            for (d, p), n in sorted(sums.items())
            if n != 0
        ],
    )
    return len(rows)
