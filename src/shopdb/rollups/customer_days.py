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
- ``fold`` moves a batch of deltas into ``customer_days`` (``build.refresh`` runs it
  until the log is empty).

On any error the caller's transaction rolls back, and with it every row written here.
"""

from __future__ import annotations

import bisect
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from shopdb.db.rollup_schema import NO_EARLIER_DAY, customer_day_deltas, customer_days
from shopdb.db.schema import orders
from shopdb.lifecycle import RECOGNIZED_STATUSES
from shopdb.rollups.buckets import day_index
from shopdb.rollups.fold import fold_counts


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


def fold(conn: Connection) -> int:
    """Fold up to ``fold.FOLD_BATCH`` deltas into ``customer_days`` in the caller's
    transaction (``fold.fold_counts``); return how many."""
    keys = ("day_index", "prev_day_index")
    return fold_counts(conn, customer_day_deltas, customer_days, keys, "customer_count")
