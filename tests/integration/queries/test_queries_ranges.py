"""Analytics whose meaning must not change with a date range, against answers worked out
by hand on a two-year shop: a customer's cohort comes from all history, and a year-over-
year figure looks back a year beyond ``since``. Both forms (rollup and base) where a
rollup form exists."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from analytics_tiny_shop import at, bp
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from dbservers import BACKENDS, schema_engine
from shopdb.db.schema import categories, order_items, orders, products, users
from shopdb.queries import run_query
from shopdb.queries.sources import ROLLUP_ANSWERS
from shopdb.rollups.build import rebuild

# order_id, user_id, status, created_at, product_id, quantity (Tech 10 at 1000, Books 20 at 100)
ORDERS = [
    (1, 1, "delivered", "2023-03-10 12:00", 10, 1),
    (2, 2, "delivered", "2023-03-20 12:00", 20, 2),
    (3, 1, "delivered", "2024-03-05 12:00", 10, 2),
    (4, 3, "delivered", "2024-03-15 12:00", 20, 1),
    (5, 2, "paid", "2024-04-02 12:00", 10, 1),
    (6, 3, "cancelled", "2024-04-10 12:00", 10, 1),  # not revenue
]
PRICES = {10: 1000, 20: 100}


@pytest.fixture(scope="module", params=BACKENDS)
def two_years(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    with schema_engine(str(request.param), tmp_path_factory.mktemp("two_years")) as (engine, _):
        with engine.begin() as conn:
            conn.execute(
                insert(categories),
                [
                    {"category_id": 1, "name": "Tech", "parent_id": None},
                    {"category_id": 2, "name": "Books", "parent_id": None},
                ],
            )
            conn.execute(
                insert(products),
                [
                    {
                        "product_id": p,
                        "category_id": 1 if p == 10 else 2,
                        "sku": f"P{p}",
                        "name": f"P{p}",
                        "price_cents": price,
                        "created_at": at("2023-01-01 00:00"),
                    }
                    for p, price in PRICES.items()
                ],
            )
            conn.execute(
                insert(users),
                [
                    {
                        "user_id": u,
                        "email": f"u{u}@example.com",
                        "first_name": "U",
                        "last_name": str(u),
                        "created_at": at("2023-01-01 00:00"),
                    }
                    for u in (1, 2, 3)
                ],
            )
            for order_id, user_id, status, created, product_id, quantity in ORDERS:
                conn.execute(
                    insert(orders).values(
                        order_id=order_id,
                        user_id=user_id,
                        status=status,
                        created_at=at(created),
                        total_cents=quantity * PRICES[product_id],
                    )
                )
                conn.execute(
                    insert(order_items).values(
                        order_id=order_id,
                        product_id=product_id,
                        quantity=quantity,
                        unit_price_cents=PRICES[product_id],
                    )
                )
            rebuild(conn)
        yield engine


def _both(engine: Engine, name: str, **params: Any) -> list[tuple[Any, ...]]:
    """The rows of the base form; the rollup form, where it can answer, must agree."""
    base = run_query(engine, name, source="base", **params).rows
    if name in ROLLUP_ANSWERS:
        auto = run_query(engine, name, source="auto", **params).rows
        assert auto == base, (name, params)
    return base


YOY_MARCH_2024 = ("2024-03", 2100, 2, 1200, bp(2100 - 1200, 1200))


def test_yoy_growth_over_all_history(two_years: Engine) -> None:
    assert _both(two_years, "yoy_growth") == [
        ("2023-03", 1200, 2, None, None),
        YOY_MARCH_2024,
        ("2024-04", 1000, 1, None, None),
    ]


def test_yoy_growth_since_looks_back_a_year_beyond_since(two_years: Engine) -> None:
    assert _both(two_years, "yoy_growth", since="2024-01-01") == [
        YOY_MARCH_2024,
        ("2024-04", 1000, 1, None, None),
    ]
    assert _both(two_years, "yoy_growth", since="2024-03-01", until="2024-03-31") == [
        YOY_MARCH_2024
    ]


def test_yoy_growth_of_part_of_a_month_compares_the_same_days(two_years: Engine) -> None:
    # 2024-03-10..31 holds order 4 (100); 2023-03-10..31 holds orders 1 and 2 (1200)
    assert _both(two_years, "yoy_growth", since="2024-03-10", until="2024-03-31") == [
        ("2024-03", 100, 1, 1200, bp(100 - 1200, 1200))
    ]


def test_category_growth_with_and_without_a_range(two_years: Engine) -> None:
    tech_2024 = (1, "Tech", 2024, 3000, 1000, bp(2000, 1000))
    books_2024 = (2, "Books", 2024, 100, 200, bp(-100, 200))
    assert _both(two_years, "category_growth") == [
        (1, "Tech", 2023, 1000, None, None),
        tech_2024,
        (2, "Books", 2023, 200, None, None),
        books_2024,
    ]
    assert _both(two_years, "category_growth", since="2024-01-01") == [tech_2024, books_2024]


def test_cohort_retention_over_all_history(two_years: Engine) -> None:
    rows = _both(two_years, "cohort_retention")
    march_2023 = [r for r in rows if r[0] == "2023-03"]
    assert [r[1] for r in march_2023] == list(range(14))  # 2023-03 .. 2024-04
    assert {r[1]: r[3] for r in march_2023 if r[3]} == {0: 2, 12: 1, 13: 1}
    assert [r for r in rows if r[0] == "2024-03"] == [
        ("2024-03", 0, 1, 1, 10000),
        ("2024-03", 1, 1, 0, 0),
    ]


def test_cohort_retention_since_keeps_cohorts_from_all_history(two_years: Engine) -> None:
    # users 1 and 2 first ordered in 2023: with since 2024 they are no new cohort
    assert _both(two_years, "cohort_retention", since="2024-01-01") == [
        ("2024-03", 0, 1, 1, 10000),
        ("2024-03", 1, 1, 0, 0),
    ]
    assert _both(two_years, "cohort_retention", until="2023-12-31") == [
        ("2023-03", 0, 2, 2, 10000),
    ]


def test_customer_lifetime_value_with_and_without_a_range(two_years: Engine) -> None:
    # user 1: 361 days from 2023-03-10 to 2024-03-05; user 2: 379 days to 2024-04-02
    assert _both(two_years, "customer_lifetime_value") == [
        ("2023-03", 2, 4, 4200, 2100, 1050, 200, 370),
        ("2024-03", 1, 1, 100, 100, 100, 100, 0),
    ]
    assert _both(two_years, "customer_lifetime_value", since="2024-01-01") == [
        ("2024-03", 1, 1, 100, 100, 100, 100, 0),
    ]
    assert _both(two_years, "customer_lifetime_value", until="2023-12-31") == [
        ("2023-03", 2, 2, 1200, 600, 600, 100, 0),
    ]


def _quiet_months(first: str, last: str, previous: int) -> list[tuple[Any, ...]]:
    """monthly_revenue's rows for months without a recognized order, ``first`` to ``last``
    of 2023 (``MM``), the first following a month that took ``previous``."""
    rows: list[tuple[Any, ...]] = []
    for month in range(int(first), int(last) + 1):
        growth = None if previous == 0 else -10000
        rows.append((f"2023-{month:02d}", 0, 0, None, previous, growth))
        previous = 0
    return rows


def test_monthly_revenue_over_all_history(two_years: Engine) -> None:
    rows = _both(two_years, "monthly_revenue")
    assert rows[0] == ("2023-03", 1200, 2, 600, None, None)
    assert rows[1:10] == _quiet_months("04", "12", previous=1200)
    assert rows[10:] == [
        ("2024-01", 0, 0, None, 0, None),
        ("2024-02", 0, 0, None, 0, None),
        ("2024-03", 2100, 2, 1050, 0, None),
        ("2024-04", 1000, 1, 1000, 2100, bp(1000 - 2100, 2100)),
    ]


def test_monthly_revenue_since_reads_the_first_months_previous_from_all_history(
    two_years: Engine,
) -> None:
    # February 2024 took nothing, but 2023 did: the month before is 0, not unknown
    assert _both(two_years, "monthly_revenue", since="2024-01-01") == [
        ("2024-03", 2100, 2, 1050, 0, None),
        ("2024-04", 1000, 1, 1000, 2100, bp(1000 - 2100, 2100)),
    ]
    # March 2024 took 2100, outside the range
    assert _both(two_years, "monthly_revenue", since="2024-04-01") == [
        ("2024-04", 1000, 1, 1000, 2100, bp(1000 - 2100, 2100)),
    ]
    # part of a month: its revenue is the range's days; the month before is whole
    assert _both(two_years, "monthly_revenue", since="2024-03-10", until="2024-04-30") == [
        ("2024-03", 100, 1, 100, 0, None),
        ("2024-04", 1000, 1, 1000, 100, bp(1000 - 100, 100)),
    ]


def test_monthly_revenue_first_month_ever_has_no_previous_whatever_the_range(
    two_years: Engine,
) -> None:
    # order 1 (2023-03-10) is before since but in the same month: no month came before
    assert _both(two_years, "monthly_revenue", since="2023-03-15", until="2023-04-30") == [
        ("2023-03", 200, 1, 200, None, None),
    ]
    assert _both(two_years, "monthly_revenue", until="2023-03-31") == [
        ("2023-03", 1200, 2, 600, None, None),
    ]
