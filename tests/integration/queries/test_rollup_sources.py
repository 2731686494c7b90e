"""Every query a rollup answers gives the same rows from the rollups and from the base
tables, on every backend: on generated data, and after concurrent clients paid,
cancelled and refunded orders while a refresher folded the change log.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from dbservers import BACKENDS, schema_engine
from shopdb.audit import run_checks
from shopdb.datagen.generate import generate
from shopdb.datagen.params import make_params
from shopdb.db.schema import inventory, order_items, orders, products
from shopdb.errors import InvalidInput
from shopdb.lifecycle import RECOGNIZED_STATUSES
from shopdb.queries import run_query
from shopdb.queries.sources import ROLLUP_ANSWERS
from shopdb.services import cancel_order, pay_order, place_order, refund_order
from shopdb.workload.run import OltpConfig, run_oltp

END = date(2025, 11, 26)
RANGES: list[dict[str, Any]] = [
    {},  # all history
    {"since": "2025-10-27", "until": "2025-11-25"},  # the last 30 days
    {"since": "2024-11-26"},  # the last year, not month-aligned
    # the dashboard's last year, ending yesterday: a year and a month, minus a month and
    # days (signed spans, rollups/spans.py)
    {"since": "2024-11-26", "until": "2025-11-25"},
    {"since": "2024-03-01", "until": "2025-02-28"},  # whole months only
    {"since": "2024-02-13", "until": "2024-02-20"},  # days inside one month
    {"since": "2030-01-01"},  # nothing
]


@pytest.fixture(scope="module", params=BACKENDS)
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A generated shop (SF 0.001, two years) on each backend, read only."""
    with schema_engine(str(request.param), tmp_path_factory.mktemp("gen")) as (engine, _url):
        generate(engine, make_params(5, 0.001, END, 2))
        yield engine


AS_OF = ["2023-01-01", "2024-06-15T12:00:00", "2024-06-15", "2025-11-26", None]
"""RFM's as_of: before the first order, mid-history (orders after it) at noon (from the
per-customer rollup) and at midnight (from RFM's groups), a midnight, and now."""
AS_OF_QUERIES = ("rfm_segments",)
WINDOWS = [("2025-11-26", 30), ("2025-11-26", 365), ("2025-06-04", 7), ("2024-01-01", 3650)]
"""Low inventory's sales windows (as_of at midnight, days): the last month, the last year,
a week holding the orders changed by ``_change_older_orders``, and all history before."""
WINDOW_QUERIES = ("low_inventory",)


def _answerable(name: str, rng: dict[str, Any]) -> bool:
    if name in AS_OF_QUERIES or name in WINDOW_QUERIES:
        return False  # compared at as_of values below
    return rng == {} or name != "frequently_bought_together"


def assert_same_rows(engine: Engine) -> int:
    compared = 0
    for name in sorted(ROLLUP_ANSWERS):
        for rng in RANGES:
            if not _answerable(name, rng):
                continue
            rollup = run_query(engine, name, source="rollup", **rng)
            base = run_query(engine, name, source="base", **rng)
            assert rollup == base, (name, rng)
            compared += 1
    for name in AS_OF_QUERIES:
        for as_of in AS_OF:
            rollup = run_query(engine, name, source="rollup", as_of=as_of)
            base = run_query(engine, name, source="base", as_of=as_of)
            assert rollup == base, (name, as_of)
            compared += 1
    for name in WINDOW_QUERIES:
        for as_of, days in WINDOWS:
            rollup = run_query(engine, name, source="rollup", as_of=as_of, window_days=days)
            base = run_query(engine, name, source="base", as_of=as_of, window_days=days)
            assert rollup == base, (name, as_of, days)
            compared += 1
    return compared


def test_rollups_and_base_tables_agree_on_generated_data(generated: Engine) -> None:
    assert assert_same_rows(generated) == 18 * len(RANGES) + 1 + len(AS_OF) + len(WINDOWS)
    # low stock that sold in the window: the window's sums were compared, not just zeros
    low = run_query(
        generated, "low_inventory", source="rollup", as_of="2025-11-26", window_days=365
    )
    assert any(row[5] > 0 for row in low.rows)
    # pairs: the limit cuts inside a run of equal counts, and single-order pairs count
    for params in ({"min_orders": 1, "limit": 7}, {"min_orders": 1, "limit": 200}):
        pairs = run_query(generated, "frequently_bought_together", source="rollup", **params)
        assert pairs == run_query(generated, "frequently_bought_together", source="base", **params)
        assert len(pairs.rows) == params["limit"]
    # RFM's mid-history as_of reads both parts of its rollup form: customers whose last
    # order came later are summed again from their orders
    now = run_query(generated, "rfm_segments", source="rollup")
    for as_of in AS_OF[1:3]:
        mid = run_query(generated, "rfm_segments", source="rollup", as_of=as_of)
        assert 0 < sum(r[1] for r in mid.rows) < sum(r[1] for r in now.rows)
    # the data is not trivially empty: the comparison covered real revenue
    assert run_query(generated, "total_revenue", source="rollup").rows[0][1] > 500


def test_best_sellers_by_category_agree(generated: Engine) -> None:
    for category_id in (1, 2, 5):
        rollup = run_query(
            generated, "best_selling_products", source="rollup", category_id=category_id
        )
        base = run_query(generated, "best_selling_products", source="base", category_id=category_id)
        assert rollup == base


GROWTH_RANGES: list[dict[str, Any]] = [
    {},  # all history: years, months and days, never product_sales_total (it has no year)
    # 365 days ending the day before October's last: a year and two months, minus two
    # months and a day, in both periods, the subtracted ones holding orders
    {"since": "2024-10-31", "until": "2025-10-30"},
    # days subtracted at the head and added at the tail, in both periods
    {"since": "2024-12-03", "until": "2025-10-03"},
    {"since": "2024-12-30", "until": "2025-10-02"},  # a month subtracted first
    {"since": "2024-01-01", "until": "2024-12-31"},  # a calendar year: one year a period
]


def test_category_growth_agrees_over_signed_spans(generated: Engine) -> None:
    for rng in GROWTH_RANGES:
        rollup = run_query(generated, "category_growth", source="rollup", **rng)
        base = run_query(generated, "category_growth", source="base", **rng)
        assert rollup == base, rng
        # both periods hold sales: the year before was compared too
        assert any(row[4] is not None for row in base.rows), rng


def test_rollup_source_refuses_what_it_cannot_answer(generated: Engine) -> None:
    with pytest.raises(InvalidInput, match="cannot be answered by its rollup"):
        run_query(generated, "frequently_bought_together", source="rollup", since="2025-01-01")
    with pytest.raises(InvalidInput, match="reads no rollup"):
        run_query(generated, "unpaid_orders", source="rollup")
    with pytest.raises(InvalidInput, match="cannot be answered by its rollup"):
        run_query(generated, "low_inventory", source="rollup", as_of="2025-11-26T12:00:00")
    with pytest.raises(InvalidInput, match="unknown source"):
        run_query(generated, "total_revenue", source="cache")
    # auto falls back to the base tables for a range that is not whole days
    from datetime import UTC, datetime

    at = {"since": datetime(2025, 1, 1, 12, tzinfo=UTC)}
    assert run_query(generated, "total_revenue", **at) == run_query(
        generated, "total_revenue", source="base", **at
    )


def _change_older_orders(engine: Engine) -> None:
    """Pay, cancel and refund orders placed on earlier days, through the services."""
    with engine.connect() as conn:
        paid = (
            conn.execute(
                select(orders.c.order_id)
                .where(orders.c.status.in_(("paid", "shipped", "delivered")))
                .order_by(orders.c.order_id)
                .limit(4)
            )
            .scalars()
            .all()
        )
        stocked = (
            conn.execute(
                select(inventory.c.product_id)
                .where(inventory.c.quantity_on_hand > 5)
                .order_by(inventory.c.product_id)
                .limit(2)
            )
            .scalars()
            .all()
        )
    assert len(paid) == 4 and len(stocked) == 2
    placed_at = datetime(2025, 6, 3, 15, tzinfo=UTC)
    for user_id in (1, 2, 3):
        order_id = place_order(engine, user_id, {stocked[0]: 1, stocked[1]: 2}, now=placed_at)
        if user_id < 3:
            pay_order(engine, order_id, None, "card", now=placed_at + timedelta(days=2))
        else:
            cancel_order(engine, order_id, now=placed_at + timedelta(days=1))
    for order_id in paid:
        refund_order(engine, order_id)


@pytest.mark.slow
def test_rollups_agree_after_concurrent_payments_cancellations_and_refunds(
    backend: str, tmp_path: Path
) -> None:
    with schema_engine(backend, tmp_path) as (engine, _url):
        generate(engine, make_params(6, 0.001, END, 2))
        _change_older_orders(engine)
        mix = {"place": 30, "pay": 35, "cancel": 15, "refund": 15, "restock": 0, "lookup": 5}
        config = OltpConfig(4, 3.0, mix, compare=False, top_up=50, refresh_every_s=0.3)
        report = run_oltp(engine, config)

        assert report.clean, [r.name for r in report.audit if not r.passed]
        mixed = report.phase("mixed")
        assert mixed is not None
        assert mixed.by_type["pay"].committed > 0
        assert sum(mixed.by_type[k].committed for k in ("cancel", "refund")) > 0
        assert report.folded > 0
        assert assert_same_rows(engine) > 0
        failed = [r.name for r in run_checks(engine) if not r.passed]
        assert failed == []


def _every_pair(engine: Engine) -> dict[tuple[int, int], int]:
    """Orders per product pair over all history, counted here from the recognized orders'
    items: every pair, no bound."""
    query = (
        select(order_items.c.order_id, order_items.c.product_id)
        .join(orders, orders.c.order_id == order_items.c.order_id)
        .where(orders.c.status.in_(RECOGNIZED_STATUSES))
    )
    baskets: dict[int, list[int]] = {}
    with engine.connect() as conn:
        for order_id, product_id in conn.execute(query):
            baskets.setdefault(order_id, []).append(product_id)
    counts: dict[tuple[int, int], int] = {}
    for basket in baskets.values():
        for pair in combinations(sorted(basket), 2):
            counts[pair] = counts.get(pair, 0) + 1
    return counts


def test_the_pairs_are_the_top_of_every_pair(generated: Engine) -> None:
    # the query pairs only products frequent enough for the top (a bound found from the
    # pairs of seed products: the 200 most frequent and those of the top pairs in a
    # sample of the orders): the shop has more products than that, and the top must be
    # the one of counting every pair, whatever the sample picked
    with generated.connect() as conn:
        assert conn.execute(select(func.count()).select_from(products)).scalar_one() > 200
    counts = _every_pair(generated)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    for limit, min_orders in ((10, 2), (3, 2), (40, 1), (2000, 1), (5, 10_000)):
        expected = [(a, b, n) for (a, b), n in ranked if n >= min_orders][:limit]
        params = {"limit": limit, "min_orders": min_orders}
        got = run_query(generated, "frequently_bought_together", source="base", **params)
        assert [(r[0], r[2], r[4]) for r in got.rows] == expected, (limit, min_orders)
    assert ranked[0][1] > ranked[9][1] >= 2
