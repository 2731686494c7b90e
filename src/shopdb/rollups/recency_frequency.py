"""The ``customer_recency_frequency`` rollup: RFM's groups of customers.

A customer's RFM segment depends on their recency and frequency alone and its monetary
part is a sum, so ``rfm_segments`` and ``customer_segments`` rank groups of customers
keyed by the day their recency counts from (``buckets.day_ceiling`` of their last
recognized order) and their recognized order count, each with its customers and their
spend (see ``shopdb.db.rollup_schema.customer_recency_frequency``).

- ``rebuild`` recomputes it from ``customer_sales`` (``build.rebuild``); the generator
  computes the same rows from its frames (``datagen.rollup_frames``).
- The services keep it exact (``rollups.customers``, under the customer's
  ``customer_sales`` row lock): every change of a customer's recognized orders moves
  them from their old group to their new one, as one insert into
  ``customer_rf_deltas`` of two rows (one for a first order): ``append`` from the
  customer's row before and after where the slow path holds both, ``append_same_day``
  reading the row just updated where the fast path's ``UPDATE`` left the day their
  recency counts from as it was. Never a shop-wide row.
- ``fold`` moves a batch of deltas into ``customer_recency_frequency``
  (``build.refresh``); readers add the unfolded deltas, so answers are exact as of
  their snapshot.

On any error the caller's transaction rolls back, and with it every row written here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

from sqlalchemy import TextClause, bindparam, insert, text
from sqlalchemy.engine import Connection

from shopdb.db.backend import backend_name
from shopdb.db.rollup_schema import customer_recency_frequency, customer_rf_deltas
from shopdb.db.types import Cents, Id, UtcDateTime
from shopdb.queries.fragments import expand
from shopdb.rollups.buckets import day_ceiling
from shopdb.rollups.fold import fold_counts

Group = tuple[int, int, int, int]
"""A ``customer_rf_deltas`` row: recency-from day, order count, change in customers,
change in spend."""

CustomerRow = tuple[int, int, datetime | None]
"""What a customer's group needs of their ``customer_sales`` row: order count, spend
and last recognized order."""


def changes(before: CustomerRow, after: CustomerRow) -> list[Group]:
    """The rows that move a customer from the group of their row ``before`` to that of
    their row ``after`` (none for a group without orders; none when both are the same)."""
    if before == after:
        return []
    rows: list[Group] = []
    for (count, spend, last), sign in ((before, -1), (after, 1)):
        if count > 0 and last is not None:
            rows.append((day_ceiling(last), count, sign, sign * spend))
    return rows


def append(conn: Connection, rows: Sequence[Group], at: datetime) -> None:
    """Append ``rows`` to ``customer_rf_deltas`` in one insert (nothing when there are
    none)."""
    if not rows:
        return
    conn.execute(
        _INSERT_DELTAS,
        [
            {
                "recency_from_day": d,
                "order_count": n,
                "customer_count": c,
                "spend_cents": s,
                "created_at": at,
            }
            for d, n, c, s in rows
        ],
    )


_INSERT_DELTAS = insert(customer_rf_deltas)


def append_same_day(
    conn: Connection, user_id: int, sign: int, total_cents: int, at: datetime
) -> None:
    """Append the customer's move after the fast path's ``UPDATE`` changed their row by
    ``sign`` orders and ``sign * total_cents`` of spend and left the day their recency
    counts from as it was: one ``INSERT ... SELECT`` of the row just updated (locked by
    this transaction), with no round trip to read it."""
    conn.execute(
        _same_day_insert(backend_name(conn)),
        {"b_user": user_id, "b_sign": sign, "b_total": sign * total_cents, "b_at": at},
    )


@lru_cache(maxsize=4)
def _same_day_insert(dialect: str) -> TextClause:
    """The customer's old group (one fewer customer, the spend before) and new group (one
    more, the spend now), from their ``customer_sales`` row after the change."""
    day = expand("{day_ceiling(cs.last_order_at)}", dialect)
    sql = (
        "insert into customer_rf_deltas"
        " (recency_from_day, order_count, customer_count, spend_cents, created_at)"
        f" select {day}, cs.order_count - :b_sign, -1, :b_total - cs.spend_cents, :b_at"
        " from customer_sales as cs where cs.user_id = :b_user"
        " and cs.order_count - :b_sign > 0"
        " union all"
        f" select {day}, cs.order_count, 1, cs.spend_cents, :b_at"
        " from customer_sales as cs where cs.user_id = :b_user and cs.order_count > 0"
    )
    return text(sql).bindparams(
        bindparam("b_user", type_=Id),
        bindparam("b_sign", type_=Cents),
        bindparam("b_total", type_=Cents),
        bindparam("b_at", type_=UtcDateTime()),
    )


def fold(conn: Connection) -> int:
    """Fold up to ``fold.FOLD_BATCH`` deltas into ``customer_recency_frequency`` in the
    caller's transaction (``fold.fold_counts``: customers and spend summed per group);
    return how many."""
    keys = ("recency_from_day", "order_count")
    return fold_counts(
        conn, customer_rf_deltas, customer_recency_frequency, keys, "customer_count", "spend_cents"
    )
