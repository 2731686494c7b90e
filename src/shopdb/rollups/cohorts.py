"""The ``customer_cohorts`` rollup: cohort retention over any range of whole days.

A customer belongs to the cohort of the day of their first recognized order and is
counted once in every month holding a recognized order of theirs (see
``shopdb.db.rollup_schema.customer_cohorts``).

- ``rebuild`` recomputes it from the orders and ``customer_sales`` (``build.rebuild``);
  the generator computes the same rows from its frames (``datagen.cohort_frames``).
- The services keep it exact (``rollups.customers``, under the customer's
  ``customer_sales`` row lock): only the slow path there can change a customer's first
  day or the months they are active in (the fast path's order shares its day with the
  customer's first or last order, so its month stays active and the first day stays).
  ``changes_from_row`` settles the common cases from the customer's row alone (a first
  payment; a payment in a month after the last order's; a month the first or last
  order already holds); ``changes`` compares the customer's rows before and after from
  their recognized orders otherwise. ``append`` writes the difference to
  ``customer_cohort_deltas``: one insert, and none when nothing changed.
- ``fold`` moves a batch of deltas into ``customer_cohorts`` (``build.refresh``).

On any error the caller's transaction rolls back, and with it every row written here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.engine import Connection

from shopdb.db.rollup_schema import customer_cohort_deltas, customer_cohorts
from shopdb.rollups.buckets import day_index, month_index, month_of_day
from shopdb.rollups.fold import fold_counts

CohortChange = tuple[int, int, int]
"""A change of ``customer_cohorts``: first day, month, change in customers."""


def changes_from_row(
    count: int, first: datetime | None, last: datetime | None, placed_at: datetime, sign: int
) -> list[CohortChange] | None:
    """The changes when a recognized order placed at ``placed_at`` is added (``sign`` 1)
    or removed (-1), worked out from the customer's ``customer_sales`` row as it was
    before (``count`` orders, the ``first`` and ``last`` placed); None when the row cannot
    tell (the customer's first day moves, or the month's other orders are unknown)."""
    month = month_index(placed_at)
    if first is None or last is None:
        return [(day_index(placed_at), month, 1)] if sign > 0 else None
    held = month in (month_index(first), month_index(last))
    if sign > 0:
        if placed_at < first and day_index(placed_at) != day_index(first):
            return None  # a new first day: every month of the customer moves
        if held:
            return []
        return [(day_index(first), month, 1)] if placed_at > last else None
    if count <= 1:
        return [(day_index(first), month, -1)]
    # first and last are other orders, so both stay: the first day and their months too
    if first < placed_at < last and held:
        return []
    return None


def changes(times: Sequence[datetime], placed_at: datetime, sign: int) -> list[CohortChange]:
    """The changes from the customer's recognized orders after the change (``times``,
    the order's own included when it was added)."""
    after = list(times)
    before = list(times)
    if sign > 0:
        before.remove(placed_at)
    else:
        before.append(placed_at)
    diff = _rows(after)
    diff.subtract(_rows(before))
    return [(d, m, n) for (d, m), n in sorted(diff.items()) if n != 0]


def _rows(times: Sequence[datetime]) -> Counter[tuple[int, int]]:
    """A customer's ``customer_cohorts`` rows: their first day, once per active month."""
    if not times:
        return Counter()
    first_day = day_index(min(times))
    return Counter({(first_day, month): 1 for month in {month_index(t) for t in times}})


def append(conn: Connection, rows: Sequence[CohortChange], at: datetime) -> None:
    """Append ``rows`` to ``customer_cohort_deltas`` (nothing when there are none)."""
    if not rows:
        return
    conn.execute(
        _INSERT_DELTAS,
        [
            {
                "first_day_index": d,
                "month_index": m,
                "cohort_index": month_of_day(d),
                "customer_count": n,
                "created_at": at,
            }
            for d, m, n in rows
        ],
    )


_INSERT_DELTAS = insert(customer_cohort_deltas)


def fold(conn: Connection) -> int:
    """Fold up to ``fold.FOLD_BATCH`` deltas into ``customer_cohorts`` in the caller's
    transaction (``fold.fold_counts``); return how many."""
    keys = ("first_day_index", "month_index", "cohort_index")
    return fold_counts(conn, customer_cohort_deltas, customer_cohorts, keys, "customer_count")
