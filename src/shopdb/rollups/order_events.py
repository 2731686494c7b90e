"""The ``order_funnel_daily`` and ``payment_method_daily`` rollups and their one change
log, ``order_event_deltas``: the status funnel, the refund and cancellation rates and the
payment method mix for any range of days.

- ``order_funnel_daily`` holds, per UTC day of placing, how many orders reached each
  stage. An order reaches stages only forwards and keeps every stage it reached (a
  cancelled order that was paid still counts as paid; a refunded one keeps paid,
  shipped and delivered), so each change is **one** row: +1 in the stage the order
  enters (``funnel_row``), the order's total too when it is refunded.
- ``payment_method_daily`` holds, per UTC day of the attempt and method, the attempts by
  outcome and the money captured. A payment is written completed or failed
  (``payment_row``) and may later move from completed to refunded (``refund_rows``).
- The services append these rows in their own transaction (``rollups.maintain`` calls
  ``append``; a payment that pays its order appends its two rows in one statement). An
  append never waits for another checkout: no shop-wide row is updated.
- ``build.rebuild`` recomputes both tables from the base tables with the queries' own
  definitions; ``fold`` moves a batch of deltas into them (``build.refresh``). Readers
  add the deltas not yet folded.

On any error the caller's transaction rolls back, and with it every row written here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from shopdb.db.rollup_schema import order_event_deltas, order_funnel_daily, payment_method_daily
from shopdb.db.schema import payments
from shopdb.lifecycle import INITIAL_STATUS, PAYMENT_COMPLETED, PAYMENT_REFUND
from shopdb.rollups.buckets import day_index, month_index
from shopdb.rollups.fold import take_batch
from shopdb.rollups.upsert import add_rows

FUNNEL_MEASURES = (
    "placed_count",
    "paid_count",
    "shipped_count",
    "delivered_count",
    "cancelled_count",
    "refunded_count",
    "refunded_cents",
)
"""``order_funnel_daily``'s measures, named alike in the change log."""

PAYMENT_MEASURES = (
    "attempt_count",
    "completed_count",
    "failed_count",
    "refunded_count",
    "captured_cents",
)
"""``payment_method_daily``'s measures."""

_PAYMENT_LOG = dict(zip(PAYMENT_MEASURES, PAYMENT_MEASURES, strict=True)) | {
    "refunded_count": "payment_refunded_count"
}
"""Each payment measure's column in the change log (which has the funnel's too)."""

STAGE_OF_STATUS = {
    INITIAL_STATUS: "placed_count",
    "paid": "paid_count",
    "shipped": "shipped_count",
    "delivered": "delivered_count",
    "cancelled": "cancelled_count",
    "refunded": "refunded_count",
}
"""The funnel stage an order enters with each status (``lifecycle.ORDER_STATUSES``)."""


@dataclass(frozen=True)
class PaymentMade:
    """A payment attempt just written: when, how, its status and amount."""

    created_at: datetime
    method: str
    status: str
    amount_cents: int


def funnel_row(placed_at: datetime, status: str, total_cents: int, at: datetime) -> dict[str, Any]:
    """The delta of an order placed at ``placed_at`` entering ``status`` (placing is
    entering ``pending``); a refund adds the order's ``total_cents`` to the refunded money."""
    row = _row(placed_at, None, at)
    row[STAGE_OF_STATUS[status]] = 1
    row["refunded_cents"] = total_cents if status == "refunded" else 0
    return row


def payment_row(payment: PaymentMade, at: datetime) -> dict[str, Any]:
    """The delta of a payment attempt written completed or failed."""
    row = _row(payment.created_at, payment.method, at)
    completed = payment.status == PAYMENT_COMPLETED
    row["attempt_count"] = 1
    row["completed_count" if completed else "failed_count"] = 1
    row["captured_cents"] = payment.amount_cents if completed else 0
    return row


def _row(on: datetime, method: str | None, at: datetime) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys((*FUNNEL_MEASURES, *_PAYMENT_LOG.values()), 0)
    row |= {"day_index": day_index(on), "month_index": month_index(on), "method": method}
    row["created_at"] = at
    return row


def append(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Append ``rows`` to ``order_event_deltas`` in one statement (none when empty)."""
    if rows:
        conn.execute(_INSERT_DELTAS, list(rows))


_INSERT_DELTAS = insert(order_event_deltas)


def refund_rows(conn: Connection, order_id: int, at: datetime) -> list[dict[str, Any]]:
    """The deltas of the order's payments just refunded at ``at`` (each moves from
    completed to refunded on its own day; the money captured stays)."""
    refunded = PAYMENT_REFUND[1]
    p = payments.c
    moved = conn.execute(
        select(p.created_at, p.method).where(
            p.order_id == order_id, p.status == refunded, p.refunded_at == at
        )
    ).all()
    rows = []
    for created_at, method in moved:
        row = _row(created_at, method, at)
        row["completed_count"] = -1
        row["payment_refunded_count"] = 1
        rows.append(row)
    return rows


def fold(conn: Connection) -> int:
    """Fold up to ``fold.FOLD_BATCH`` deltas into both tables in the caller's transaction,
    each key's sums upserted once, in key order; return how many."""
    c = order_event_deltas.c
    log_columns = (*FUNNEL_MEASURES, *_PAYMENT_LOG.values())
    rows = take_batch(
        conn, order_event_deltas, c.day_index, c.month_index, c.method, *(c[m] for m in log_columns)
    )
    days: dict[int, list[int]] = defaultdict(lambda: [0] * (len(FUNNEL_MEASURES) + 1))
    methods: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0] * len(PAYMENT_MEASURES))
    n = len(FUNNEL_MEASURES)
    for day, month, method, *measures in rows:
        if method is None:
            sums = days[day]
            sums[0] = month
            for i, value in enumerate(measures[:n], start=1):
                sums[i] += value
        else:
            totals = methods[(day, method)]
            for i, value in enumerate(measures[n:]):
                totals[i] += value
    add_rows(
        conn,
        order_funnel_daily,
        [
            {"day_index": d, "month_index": v[0], **dict(zip(FUNNEL_MEASURES, v[1:], strict=True))}
            for d, v in sorted(days.items())
        ],
    )
    add_rows(
        conn,
        payment_method_daily,
        [
            {"day_index": d, "method": m, **dict(zip(PAYMENT_MEASURES, v, strict=True))}
            for (d, m), v in sorted(methods.items())
        ],
    )
    return len(rows)
