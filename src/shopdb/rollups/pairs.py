"""The ``product_pairs`` rollup: pairs of products bought in the same recognized order.

``frequently_bought_together`` over all history joins every order's items with
themselves; this rollup keeps that join's counts (orders placed on the days of
``spans.ALL_TIME``, like ``product_sales_total``).

- ``rebuild`` recomputes it from the orders (``build.rebuild`` runs it with the others).
- ``pairs_changed`` keeps it exact in the services' transactions: when an order enters
  or leaves the recognized statuses, one ``INSERT ... SELECT`` appends a row per pair of
  its items to ``product_pair_deltas`` (none for an order of one item). It never updates
  a shared row: two orders holding the same popular pair never wait for each other.
- ``fold`` moves a batch of deltas into ``product_pairs`` (``build.refresh`` runs it
  until the log is empty). Readers add the deltas not yet folded.

On any error the caller's transaction rolls back, and with it every row written here.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlalchemy import Insert, bindparam, insert, select
from sqlalchemy.engine import Connection

from shopdb.db.rollup_schema import product_pair_deltas, product_pairs
from shopdb.db.schema import order_items
from shopdb.db.types import Cents, Id, UtcDateTime
from shopdb.rollups.buckets import day_index
from shopdb.rollups.fold import fold_counts
from shopdb.rollups.spans import ALL_TIME


def pairs_changed(
    conn: Connection, order_id: int, placed_at: datetime, sign: int, at: datetime
) -> None:
    """Record that the order placed at ``placed_at`` became recognized (``sign`` 1) or
    stopped being (-1): each pair of its products gains or loses one order."""
    if _covers(placed_at):
        conn.execute(_append_pairs(), {"b_order": order_id, "b_sign": sign, "b_at": at})


def append_pairs(
    conn: Connection, product_ids: list[int], placed_at: datetime, sign: int, at: datetime
) -> None:
    """``pairs_changed`` for an order whose products (sorted, distinct) the caller has
    read already: the rows are inserted as values, with nothing read."""
    if not _covers(placed_at) or len(product_ids) < 2:
        return  # no pair, or outside the days the rollup covers
    rows = [
        {"product_a_id": a, "product_b_id": b, "pair_orders": sign, "created_at": at}
        for i, a in enumerate(product_ids)
        for b in product_ids[i + 1 :]
    ]
    conn.execute(_INSERT_PAIRS, rows)


_INSERT_PAIRS = insert(product_pair_deltas)


def _covers(placed_at: datetime) -> bool:
    """Whether an order placed at ``placed_at`` counts in the rollup (``spans.ALL_TIME``)."""
    return ALL_TIME[0] <= day_index(placed_at) < ALL_TIME[1]


@lru_cache(maxsize=1)
def _append_pairs() -> Insert:
    a, b = order_items.alias("a"), order_items.alias("b")
    pairs = (
        select(
            a.c.product_id,
            b.c.product_id,
            bindparam("b_sign", type_=Cents),
            bindparam("b_at", type_=UtcDateTime()),
        )
        .select_from(a.join(b, (b.c.order_id == a.c.order_id) & (b.c.product_id > a.c.product_id)))
        .where(a.c.order_id == bindparam("b_order", type_=Id))
    )
    return insert(product_pair_deltas).from_select(
        ["product_a_id", "product_b_id", "pair_orders", "created_at"], pairs
    )


def fold(conn: Connection) -> int:
    """Fold up to ``fold.FOLD_BATCH`` deltas into ``product_pairs`` in the caller's
    transaction (``fold.fold_counts``); return how many."""
    keys = ("product_a_id", "product_b_id")
    return fold_counts(conn, product_pair_deltas, product_pairs, keys, "pair_orders")
