"""The category rollups: the product rollups summed per product's current category.

``category_sales_daily``, ``_monthly`` and ``_yearly`` (migration 0020) hold, per bucket
and category, what the product rollups hold for the products now in that category, so
revenue by category and category growth read a row per category (76 at SF 1) where the
product rollups give one per product (about 1,400 a day, 10,000 a year). Two writers
keep that true:

- the fold adds each batch's product changes to the category its product is in now
  (``add_folded``), in the transaction that adds them to the product rollups;
- a product that changes category takes its folded rows from the old category to the
  new one (``move_product``), in the transaction that changes ``products.category_id``.

The two exclude each other on the product's row: the fold reads its products'
categories with a shared lock before adding anything, the move updates the row (an
exclusive lock) before reading the product's folded days. Whichever comes second sees
the first one's commit, so a batch is never added to the category a product just left.
The deltas not yet folded belong to no category until then: readers and the audit join
them to their product's category as they read them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.engine import Connection

from shopdb.db.rollup_schema import (
    CATEGORY_MEASURES,
    PRODUCT_MEASURES,
    category_sales_daily,
    category_sales_monthly,
    category_sales_yearly,
    product_sales_daily,
)
from shopdb.db.schema import products
from shopdb.rollups.upsert import add_rows

_CHUNK = 1000
"""Products whose categories one ``IN`` list reads."""
_WIDTH = len(CATEGORY_MEASURES)
# the category measures' places among the product measures
_PICK = [PRODUCT_MEASURES.index(name) for name in CATEGORY_MEASURES]


def add_folded(conn: Connection, product_days: Mapping[tuple[int, int], Sequence[int]]) -> None:
    """Add a fold's product changes, ``(day, product) -> [month, *PRODUCT_MEASURES]``, to
    the category rollups of each product's category, read under a shared lock (see the
    module's docstring); call it before the product rollups are written."""
    if not product_days:
        return
    category = categories_of(conn, {product for _day, product in product_days})
    days: dict[tuple[int, int, int], list[int]] = defaultdict(lambda: [0] * _WIDTH)
    for (day, product), (month, *measures) in product_days.items():
        summed = days[(day, category[product], month)]
        for i, at in enumerate(_PICK):
            summed[i] += measures[at]
    _add(conn, days.items())


def move_product(conn: Connection, product_id: int, old: int, new: int) -> None:
    """Move product ``product_id``'s folded sales from category ``old`` to ``new``, in the
    caller's transaction, which must have updated the product's row already (its lock
    keeps the fold away until commit). On failure the caller's rollback undoes both."""
    if old == new:
        return
    c = product_sales_daily.c
    rows = conn.execute(
        select(c.day_index, c.month_index, *(c[name] for name in CATEGORY_MEASURES))
        .where(c.product_id == product_id)
        .with_for_update(read=True)
    ).all()
    changes: list[tuple[tuple[int, int, int], list[int]]] = []
    for day, month, *measures in rows:
        changes.append(((day, old, month), [-m for m in measures]))
        changes.append(((day, new, month), list(measures)))
    _add(conn, changes)


def categories_of(conn: Connection, product_ids: Iterable[int]) -> dict[int, int]:
    """Each product's category, its row locked against a change of category until the
    caller commits (``FOR SHARE``; SQLite's writer lock does the same)."""
    ids = sorted(product_ids)
    found: dict[int, int] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = conn.execute(
            select(products.c.product_id, products.c.category_id)
            .where(products.c.product_id.in_(chunk))
            .order_by(products.c.product_id)
            .with_for_update(read=True)
        )
        found.update((product, category) for product, category in rows)
    return found


def _add(conn: Connection, days: Iterable[tuple[tuple[int, int, int], Sequence[int]]]) -> None:
    """Add per ``(day, category, month)`` measures to the three grains, each key once
    and in key order (two writers lock rows in the same order)."""
    daily: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * (1 + _WIDTH))
    monthly: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * _WIDTH)
    yearly: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * _WIDTH)
    for (day, category, month), measures in days:
        d = daily[(day, category)]
        d[0] = month
        for i, value in enumerate(measures):
            d[1 + i] += value
            monthly[(month, category)][i] += value
            yearly[(month // 12, category)][i] += value
    add_rows(
        conn,
        category_sales_daily,
        [
            {"day_index": d, "category_id": k, "month_index": v[0], **_measures(v[1:])}
            for (d, k), v in sorted(daily.items())
        ],
    )
    add_rows(
        conn,
        category_sales_monthly,
        [
            {"month_index": m, "category_id": k, **_measures(v)}
            for (m, k), v in sorted(monthly.items())
        ],
    )
    add_rows(
        conn,
        category_sales_yearly,
        [
            {"year_index": y, "category_id": k, **_measures(v)}
            for (y, k), v in sorted(yearly.items())
        ],
    )


def _measures(values: Sequence[int]) -> dict[str, int]:
    return dict(zip(CATEGORY_MEASURES, values, strict=True))
