"""Adding change-log rows to the folded rollups: what the refresher does with the deltas
it deletes (and the counter-row design of ``maintain.COUNTER_ROWS`` does in checkout)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, Table, delete, func, select
from sqlalchemy.engine import Connection

from shopdb.db.rollup_schema import (
    PRODUCT_MEASURES,
    product_sales_daily,
    product_sales_monthly,
    product_sales_total,
    product_sales_yearly,
    sales_daily,
)
from shopdb.rollups import categories
from shopdb.rollups.spans import total_rows, yearly_rows
from shopdb.rollups.upsert import add_rows

FOLD_BATCH = 50_000
"""Most deltas folded in one transaction."""


def take_batch(conn: Connection, log: Table, *columns: Column[Any]) -> list[Sequence[Any]]:
    """Delete up to ``FOLD_BATCH`` of the oldest rows of the change log ``log`` and return
    their ``columns``, with ``DELETE ... RETURNING`` (exactly the rows read), in the
    caller's transaction: a reader sees them either folded or pending, never both."""
    key = log.c.delta_id
    last = conn.execute(select(key).order_by(key).offset(FOLD_BATCH - 1).limit(1)).scalar()
    if last is None:
        last = conn.execute(select(func.max(key))).scalar()
    if last is None:
        return []
    return list(conn.execute(delete(log).where(key <= last).returning(*columns)).all())


def fold_counts(
    conn: Connection, log: Table, target: Table, keys: Sequence[str], *measures: str
) -> int:
    """Fold up to ``FOLD_BATCH`` rows of the change log ``log`` into ``target`` in the
    caller's transaction: each of ``measures`` summed per ``keys`` (columns both tables
    have), added to ``target``'s rows (``add_rows``), keys whose changes all cancel out
    skipped; return how many log rows were folded."""
    width = len(keys)
    rows = take_batch(conn, log, *(log.c[name] for name in (*keys, *measures)))
    sums: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0] * len(measures))
    for row in rows:
        summed = sums[tuple(row[:width])]
        for i, value in enumerate(row[width:]):
            summed[i] += value
    add_rows(
        conn,
        target,
        [
            {**dict(zip(keys, key, strict=True)), **dict(zip(measures, values, strict=True))}
            for key, values in sorted(sums.items())
            if any(values)
        ],
    )
    return len(rows)


def add_deltas(conn: Connection, rows: Sequence[Sequence[Any]]) -> None:
    """Add ``rows`` (``rollup_deltas``' day, month, product, orders, units, revenue, new
    customers, refunded units and new customers' revenue) to the daily, monthly, yearly
    and all-time rollups and the category rollups of the products' categories,
    upserting each key once, in key order (so two folds lock rows in the same order)."""
    width = len(PRODUCT_MEASURES)
    days: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    product_days: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * (1 + width))
    product_months: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * width)
    for day, month, product, orders, units, revenue, new, refunded, new_revenue in rows:
        shop = days[day]
        shop[0] = month
        if product is None:
            shop[1] += orders
            shop[2] += revenue
            shop[4] += new
            shop[5] += new_revenue
            continue
        shop[3] += units
        pd = product_days[(day, product)]
        pd[0] = month
        pm = product_months[(month, product)]
        for i, value in enumerate((orders, units, revenue, refunded)):
            pd[1 + i] += value
            pm[i] += value
    # the products' categories first: their shared locks keep a move out (``categories``)
    categories.add_folded(conn, product_days)
    add_rows(
        conn,
        sales_daily,
        [
            dict(
                zip(
                    (
                        "day_index",
                        "month_index",
                        "order_count",
                        "revenue_cents",
                        "units",
                        "new_customer_count",
                        "new_revenue_cents",
                    ),
                    (d, *v),
                    strict=True,
                )
            )
            for d, v in sorted(days.items())
        ],
    )
    add_rows(
        conn,
        product_sales_daily,
        [
            {
                "day_index": d,
                "product_id": p,
                "month_index": v[0],
                **dict(zip(PRODUCT_MEASURES, v[1:], strict=True)),
            }
            for (d, p), v in sorted(product_days.items())
        ],
    )
    add_rows(
        conn,
        product_sales_monthly,
        [
            {"month_index": m, "product_id": p, **dict(zip(PRODUCT_MEASURES, v, strict=True))}
            for (m, p), v in sorted(product_months.items())
        ],
    )
    add_rows(conn, product_sales_yearly, yearly_rows(product_months))
    add_rows(conn, product_sales_total, total_rows(product_days))
