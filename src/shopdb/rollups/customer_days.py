"""The ``customer_days`` rollup: distinct and returning customers of any range of days.

A distinct count is not a sum of days, so this rollup keys each customer-day (a
customer's UTC day with a recognized order) by its day and the customer's previous such
day; a range's customers are then a sum (see ``shopdb.db.rollup_schema.customer_days``).

- ``rebuild`` recomputes it from the orders (``build.rebuild`` runs it with the others).
- The services keep it exact (``rollups.customers``, under the customer's
  ``customer_sales`` row lock): when an order's recognition adds or removes a
  customer-day, they append to ``customer_day_deltas`` the rows that relink the
  customer's neighbouring days (``append``). ``links_from_row`` finds those rows from
  the customer's ``customer_sales`` row alone where it can (a first day, a day before
  the first or after the last, a day the first or last order already holds);
  ``links`` from every recognized day of the customer's otherwise.
- ``fold`` moves a batch of deltas into ``customer_days`` (``build.refresh`` runs it
  until the log is empty).

On any error the caller's transaction rolls back, and with it every row written here.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.engine import Connection

from shopdb.db.rollup_schema import NO_EARLIER_DAY, customer_day_deltas, customer_days
from shopdb.rollups.buckets import day_index
from shopdb.rollups.fold import fold_counts

Link = tuple[int, int, int]
"""A ``customer_day_deltas`` row: day, previous day, change in customers."""


def links(days: Sequence[int], day: int, sign: int) -> list[Link]:
    """The relinking rows when a recognized order on ``day`` is added (``sign`` 1) or
    removed (-1); ``days`` holds the day of each of the customer's recognized orders
    after the change; none when another recognized order keeps the day."""
    same_day = sum(1 for d in days if d == day)
    if same_day > (1 if sign > 0 else 0):
        return []  # the day stays a customer-day either way
    others = sorted(d for d in days if d != day)
    i = bisect.bisect_left(others, day)
    prev = others[i - 1] if i > 0 else NO_EARLIER_DAY
    following = others[i] if i < len(others) else None
    # adding the day links it after prev and before the following day; removing undoes it
    changes = [(day, prev, sign)]
    if following is not None:
        changes += [(following, prev, -sign), (following, day, sign)]
    return changes


def links_from_row(
    count: int, first: datetime | None, last: datetime | None, placed_at: datetime, sign: int
) -> list[Link] | None:
    """``links`` worked out from the customer's ``customer_sales`` row as it was before
    the change (``count`` recognized orders, the ``first`` and ``last`` placed), or None
    when the row cannot tell (the day lies strictly between the first and last days, or
    a removed order's day holds only orders placed at its very time)."""
    day = day_index(placed_at)
    if first is None or last is None:
        return [(day, NO_EARLIER_DAY, sign)] if sign > 0 else None
    first_day, last_day = day_index(first), day_index(last)
    if sign > 0:  # the row counts other orders only
        if day in (first_day, last_day):
            return []
        if last_day < day:
            return [(day, last_day, 1)]
        if first_day > day:
            return [(day, NO_EARLIER_DAY, 1), (first_day, NO_EARLIER_DAY, -1), (first_day, day, 1)]
        return None
    # the row counts the removed order too: first or last is another order unless it
    # was placed at the removed order's time
    if count == 1 and first == placed_at:
        return [(day, NO_EARLIER_DAY, -1)]
    if (first != placed_at and first_day == day) or (last != placed_at and last_day == day):
        return []
    return None


def append(conn: Connection, changes: Sequence[Link], at: datetime) -> None:
    """Append ``changes`` to ``customer_day_deltas`` (nothing when there are none)."""
    if not changes:
        return
    conn.execute(
        _INSERT_DELTAS,
        [
            {"day_index": d, "prev_day_index": p, "customer_count": n, "created_at": at}
            for d, p, n in changes
        ],
    )


_INSERT_DELTAS = insert(customer_day_deltas)


def fold(conn: Connection) -> int:
    """Fold up to ``fold.FOLD_BATCH`` deltas into ``customer_days`` in the caller's
    transaction (``fold.fold_counts``); return how many."""
    keys = ("day_index", "prev_day_index")
    return fold_counts(conn, customer_day_deltas, customer_days, keys, "customer_count")
