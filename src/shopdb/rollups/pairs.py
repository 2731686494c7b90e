"""The ``product_pairs`` rollup: pairs of products bought in the same recognized order.

``frequently_bought_together`` over all history joins every order's items with
themselves; this rollup keeps that join's counts (orders placed on the days of
``spans.ALL_TIME``, like ``product_sales_total``).

- ``rebuild_product_pairs.sql`` recomputes it from the orders (``build.rebuild``).
- The services write no row per pair: when an order enters or leaves the recognized
  statuses, the order's own row in ``rollup_deltas`` carries its ``order_id`` (with
  ``order_count`` 1 or -1), and its pairs are the pairs of its items, which never change
  once it is placed. A payment's maintenance is then one insert whatever the order's
  size, and it never updates a shared row: two orders holding the same popular pair
  never wait for each other.
- ``fold_orders`` adds the pairs of the orders in a folded batch of ``rollup_deltas``
  to ``product_pairs``, in the fold's transaction (``build``); readers and the audit
  join the unfolded order rows to ``order_items`` the same way.
- ``add_order_pairs`` is the counter-row design's (``maintain.COUNTER_ROWS``): the
  order's pairs added to ``product_pairs`` in the service's transaction.

On any error the caller's transaction rolls back, and with it every row written here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.engine import Connection

from shopdb.db.rollup_schema import product_pairs
from shopdb.db.schema import order_items
from shopdb.rollups.spans import ALL_TIME
from shopdb.rollups.upsert import add_rows

_CHUNK = 500
"""Orders whose items one ``IN`` list reads."""


def fold_orders(conn: Connection, changes: Iterable[tuple[int, int, int]]) -> None:
    """Add to ``product_pairs`` the pairs of each changed order: ``changes`` holds the
    folded order rows' ``(order_id, day_index, order_count)``; each pair of an order's
    items gains ``order_count`` orders, for orders placed on the days the rollup
    covers. Pairs whose changes cancel out are skipped; rows are upserted in key order
    (two folds lock them in the same order)."""
    signs: dict[int, int] = defaultdict(int)
    for order_id, day, sign in changes:
        if ALL_TIME[0] <= day < ALL_TIME[1] and sign:
            signs[int(order_id)] += int(sign)
    sums: dict[tuple[int, int], int] = defaultdict(int)
    ids = sorted(order for order, sign in signs.items() if sign)
    for start in range(0, len(ids), _CHUNK):
        for order_id, products in _products_of(conn, ids[start : start + _CHUNK]).items():
            for a, b in _pairs(products):
                sums[(a, b)] += signs[order_id]
    add_rows(
        conn,
        product_pairs,
        [
            {"product_a_id": a, "product_b_id": b, "pair_orders": n}
            for (a, b), n in sorted(sums.items())
            if n
        ],
    )


def add_order_pairs(conn: Connection, order_id: int, day: int, sign: int) -> None:
    """``fold_orders`` of one order, in the caller's transaction (the counter rows)."""
    fold_orders(conn, [(order_id, day, sign)])


def _products_of(conn: Connection, order_ids: list[int]) -> dict[int, list[int]]:
    """Each order's product ids, ascending."""
    products: dict[int, list[int]] = defaultdict(list)
    query = (
        select(order_items.c.order_id, order_items.c.product_id)
        .where(order_items.c.order_id.in_(order_ids))
        .order_by(order_items.c.order_id, order_items.c.product_id)
    )
    for order_id, product_id in conn.execute(query):
        products[int(order_id)].append(int(product_id))
    return products


def _pairs(products: list[int]) -> Iterable[tuple[int, int]]:
    """Every pair of distinct products, the lower id first (``products`` ascending)."""
    for i, a in enumerate(products):
        for b in products[i + 1 :]:
            yield a, b
