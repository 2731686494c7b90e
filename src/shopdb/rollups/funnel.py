"""The ``order_funnel_daily`` rollup: how many of each day's orders reached each stage.

``order_status_funnel`` and ``refund_and_cancellation_rates`` count the orders placed in
a range by the stages they reached; this rollup holds those counts per UTC day of
placing (``shopdb.db.rollup_schema.order_funnel_daily``).

- ``rebuild`` recomputes it from the orders, their history and shipments, with the
  funnel's own definitions (``build.rebuild`` runs it with the others).
- The services keep it exact: an order reaches a stage only forwards, and keeps every
  stage it reached (a cancelled order that was paid still counts as paid; a refunded
  one keeps paid, shipped and delivered), so each change appends **one** row to
  ``order_funnel_deltas``, +1 in the stage the order enters (``order_placed``,
  ``status_changed``; ``rollups.maintain`` calls them, and skips them when maintenance
  is off). An append never waits for another checkout: no shop-wide row is
  updated in the transaction.
- ``fold`` moves a batch of deltas into ``order_funnel_daily`` (``build.refresh`` runs
  it until the log is empty). Readers add the deltas not yet folded.

On any error the caller's transaction rolls back, and with it every row written here.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.engine import Connection

from shopdb.db.rollup_schema import order_funnel_daily, order_funnel_deltas
from shopdb.lifecycle import INITIAL_STATUS
from shopdb.rollups.buckets import day_index, month_index
from shopdb.rollups.fold import add_rows, take_batch

MEASURES = (
    "placed_count",
    "paid_count",
    "shipped_count",
    "delivered_count",
    "cancelled_count",
    "refunded_count",
    "refunded_cents",
)
"""The measure columns of the rollup and its change log, in this order."""

STAGE_OF_STATUS = {
    INITIAL_STATUS: "placed_count",
    "paid": "paid_count",
    "shipped": "shipped_count",
    "delivered": "delivered_count",
    "cancelled": "cancelled_count",
    "refunded": "refunded_count",
}
"""The stage an order enters with each status (``lifecycle.ORDER_STATUSES``)."""


def order_placed(conn: Connection, placed_at: datetime) -> None:
    """Record a new order placed at ``placed_at``: its day gains a placed order."""
    _append(conn, placed_at, INITIAL_STATUS, 0, placed_at)


def status_changed(
    conn: Connection, placed_at: datetime, total_cents: int, after: str, at: datetime
) -> None:
    """Record that the order placed at ``placed_at`` entered status ``after`` (a refund
    adds the order's ``total_cents`` to the day's refunded money)."""
    _append(conn, placed_at, after, total_cents if after == "refunded" else 0, at)


def _append(conn: Connection, placed_at: datetime, status: str, cents: int, at: datetime) -> None:
    row: dict[str, object] = dict.fromkeys(MEASURES, 0)
    row[STAGE_OF_STATUS[status]] = 1
    row["refunded_cents"] = cents
    row |= {
        "day_index": day_index(placed_at),
        "month_index": month_index(placed_at),
        "created_at": at,
    }
    conn.execute(_INSERT_DELTA, row)


_INSERT_DELTA = insert(order_funnel_deltas)


def fold(conn: Connection) -> int:
    """Fold up to ``fold.FOLD_BATCH`` deltas into ``order_funnel_daily`` in the caller's
    transaction, each day's sums upserted once, in day order; return how many."""
    c = order_funnel_deltas.c
    rows = take_batch(
        conn, order_funnel_deltas, c.day_index, c.month_index, *(c[m] for m in MEASURES)
    )
    days: dict[int, list[int]] = defaultdict(lambda: [0] * (len(MEASURES) + 1))
    for day, month, *measures in rows:
        sums = days[day]
        sums[0] = month
        for i, value in enumerate(measures, start=1):
            sums[i] += value
    add_rows(
        conn,
        order_funnel_daily,
        [
            {"day_index": d, "month_index": v[0], **dict(zip(MEASURES, v[1:], strict=True))}
            for d, v in sorted(days.items())
        ],
    )
    return len(rows)
