"""Every catalogue query taking since/until, against answers worked out by hand on a two-
year shop, over all history and with a range: the range chooses the rows shown, while a
customer's cohort, first order or repeat purchases, and a previous month or year, come from
all history. Both forms (rollup and base) where a rollup form exists."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from analytics_tiny_shop import at, bp, rounded
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from dbservers import BACKENDS, schema_engine
from shopdb.db.schema import categories, order_items, orders, payments, products, users
from shopdb.queries import run_query
from shopdb.queries.sources import ROLLUP_ANSWERS
from shopdb.rollups.build import rebuild

# order_id, user_id, status, created_at, product_id, quantity, ship country
# (Tech 10 at 1000, Books 20 at 100)
ORDERS = [
    (1, 1, "delivered", "2023-03-10 12:00", 10, 1, "DE"),
    (2, 2, "delivered", "2023-03-20 12:00", 20, 2, "FR"),
    (3, 1, "delivered", "2024-03-05 12:00", 10, 2, "DE"),
    (4, 3, "delivered", "2024-03-15 12:00", 20, 1, "FR"),
    (5, 2, "paid", "2024-04-02 12:00", 10, 1, None),
    (6, 3, "cancelled", "2024-04-10 12:00", 10, 1, "DE"),  # not revenue
]
PRICES = {10: 1000, 20: 100}
# payment_id, order_id, method, status, amount_cents, created_at, refunded_at
PAYMENTS = [
    (1, 1, "card", "completed", 1000, "2023-03-10 12:05", None),
    (2, 2, "paypal", "completed", 200, "2023-03-20 12:05", None),
    (3, 3, "card", "completed", 2000, "2024-03-05 12:05", None),
    (4, 4, "card", "failed", 100, "2024-03-15 12:05", None),
    (5, 4, "paypal", "completed", 100, "2024-03-15 12:10", None),
    (6, 5, "paypal", "completed", 1000, "2024-04-02 12:05", None),
    (7, 6, "card", "refunded", 1000, "2024-04-10 12:05", "2024-04-11 09:00"),
]


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
            for order_id, user_id, status, created, product_id, quantity, country in ORDERS:
                conn.execute(
                    insert(orders).values(
                        order_id=order_id,
                        user_id=user_id,
                        status=status,
                        created_at=at(created),
                        total_cents=quantity * PRICES[product_id],
                        ship_country_code=country,
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
            conn.execute(
                insert(payments),
                [
                    {
                        "payment_id": payment_id,
                        "order_id": order_id,
                        "method": method,
                        "status": status,
                        "amount_cents": amount,
                        "created_at": at(created),
                        "refunded_at": None if refunded is None else at(refunded),
                    }
                    for payment_id, order_id, method, status, amount, created, refunded in PAYMENTS
                ],
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


def test_category_growth_keeps_no_year_the_spans_subtract_to_nothing(two_years: Engine) -> None:
    # the rollup form reads 2023-03-21 on as the year 2023 less January to March plus
    # 2023-03-21..31: 2023's only sales (March 10 and 20) are added and taken away again,
    # which leaves no row, as in the base form; a year later the year before does so
    tech_2024 = (1, "Tech", 2024, 2000, 1000, bp(1000, 1000))
    books_2024 = (2, "Books", 2024, 100, None, None)
    assert _both(two_years, "category_growth", since="2023-03-21", until="2024-03-19") == [
        tech_2024,
        books_2024,
    ]
    assert _both(two_years, "category_growth", since="2024-03-21", until="2025-03-19") == [
        (1, "Tech", 2024, 1000, None, None)
    ]


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


# The queries below only filter by the range: each figure is the range's own. Over all
# history, since 2024-01-01 (orders 3 to 6) and until 2023-12-31 (orders 1 and 2).
SINCE_2024 = {"since": "2024-01-01"}
UNTIL_2023 = {"until": "2023-12-31"}


def test_total_revenue_and_average_order_value_with_and_without_a_range(
    two_years: Engine,
) -> None:
    assert _both(two_years, "total_revenue") == [(4300, 5)]
    assert _both(two_years, "total_revenue", **SINCE_2024) == [(3100, 3)]
    assert _both(two_years, "total_revenue", **UNTIL_2023) == [(1200, 2)]
    assert _both(two_years, "average_order_value") == [(860, 4300, 5)]
    assert _both(two_years, "average_order_value", **SINCE_2024) == [(1033, 3100, 3)]
    assert _both(two_years, "average_order_value", **UNTIL_2023) == [(600, 1200, 2)]


def test_best_selling_products_with_and_without_a_range(two_years: Engine) -> None:
    assert _both(two_years, "best_selling_products") == [
        (10, "P10", "P10", 1, 4, 4000, 3),
        (20, "P20", "P20", 2, 3, 300, 2),
    ]
    assert _both(two_years, "best_selling_products", **SINCE_2024) == [
        (10, "P10", "P10", 1, 3, 3000, 2),
        (20, "P20", "P20", 2, 1, 100, 1),
    ]
    assert _both(two_years, "best_selling_products", **UNTIL_2023) == [
        (20, "P20", "P20", 2, 2, 200, 1),
        (10, "P10", "P10", 1, 1, 1000, 1),
    ]


def test_revenue_by_category_with_and_without_a_range(two_years: Engine) -> None:
    assert _both(two_years, "revenue_by_category") == [
        (1, "Tech", 1, "Tech", 1, 4000, bp(4000, 4300)),
        (2, "Books", 2, "Books", 1, 300, bp(300, 4300)),
    ]
    assert _both(two_years, "revenue_by_category", **SINCE_2024) == [
        (1, "Tech", 1, "Tech", 1, 3000, bp(3000, 3100)),
        (2, "Books", 2, "Books", 1, 100, bp(100, 3100)),
    ]
    assert _both(two_years, "revenue_by_category", **UNTIL_2023) == [
        (1, "Tech", 1, "Tech", 1, 1000, bp(1000, 1200)),
        (2, "Books", 2, "Books", 1, 200, bp(200, 1200)),
    ]


def test_revenue_by_country_with_and_without_a_range(two_years: Engine) -> None:
    # country_code, orders, customers, revenue, share; order 5 has no country
    assert _both(two_years, "revenue_by_country") == [
        ("DE", 2, 1, 3000, bp(3000, 4300)),
        (None, 1, 1, 1000, bp(1000, 4300)),
        ("FR", 2, 2, 300, bp(300, 4300)),
    ]
    assert _both(two_years, "revenue_by_country", **SINCE_2024) == [
        ("DE", 1, 1, 2000, bp(2000, 3100)),
        (None, 1, 1, 1000, bp(1000, 3100)),
        ("FR", 1, 1, 100, bp(100, 3100)),
    ]
    assert _both(two_years, "revenue_by_country", **UNTIL_2023) == [
        ("DE", 1, 1, 1000, bp(1000, 1200)),
        ("FR", 1, 1, 200, bp(200, 1200)),
    ]


def test_payment_method_mix_with_and_without_a_range(two_years: Engine) -> None:
    # method, attempts, completed, failed, refunded, captured (refunded ones were), share,
    # failure rate; attempts are dated by their own created_at
    assert _both(two_years, "payment_method_mix") == [
        ("card", 4, 2, 1, 1, 4000, bp(4000, 5300), 2500),
        ("paypal", 3, 3, 0, 0, 1300, bp(1300, 5300), 0),
    ]
    assert _both(two_years, "payment_method_mix", **SINCE_2024) == [
        ("card", 3, 1, 1, 1, 3000, bp(3000, 4100), bp(1, 3)),
        ("paypal", 2, 2, 0, 0, 1100, bp(1100, 4100), 0),
    ]
    assert _both(two_years, "payment_method_mix", **UNTIL_2023) == [
        ("card", 1, 1, 0, 0, 1000, bp(1000, 1200), 0),
        ("paypal", 1, 1, 0, 0, 200, bp(200, 1200), 0),
    ]


def test_order_status_funnel_with_and_without_a_range(two_years: Engine) -> None:
    # stage, orders, share of placed, conversion over the stage before
    def funnel(**params: Any) -> list[tuple[Any, ...]]:
        return [row[1:] for row in _both(two_years, "order_status_funnel", **params)]

    assert funnel() == [
        ("placed", 6, 10000, 10000),
        ("paid", 5, bp(5, 6), bp(5, 6)),
        ("shipped", 4, bp(4, 6), bp(4, 5)),
        ("delivered", 4, bp(4, 6), 10000),
        ("cancelled", 1, bp(1, 6), bp(1, 6)),
        ("refunded", 0, 0, 0),
    ]
    assert funnel(**SINCE_2024) == [
        ("placed", 4, 10000, 10000),
        ("paid", 3, 7500, 7500),
        ("shipped", 2, 5000, bp(2, 3)),
        ("delivered", 2, 5000, 10000),
        ("cancelled", 1, 2500, 2500),
        ("refunded", 0, 0, 0),
    ]
    assert funnel(**UNTIL_2023) == [
        ("placed", 2, 10000, 10000),
        ("paid", 2, 10000, 10000),
        ("shipped", 2, 10000, 10000),
        ("delivered", 2, 10000, 10000),
        ("cancelled", 0, 0, 0),
        ("refunded", 0, 0, 0),
    ]


def test_refund_and_cancellation_rates_with_and_without_a_range(two_years: Engine) -> None:
    # month of placing, orders, cancelled, refunded, their rates, refunded cents
    march_2024 = ("2024-03", 2, 0, 0, 0, 0, 0)
    april_2024 = ("2024-04", 2, 1, 0, 5000, 0, 0)
    assert _both(two_years, "refund_and_cancellation_rates") == [
        ("2023-03", 2, 0, 0, 0, 0, 0),
        march_2024,
        april_2024,
    ]
    assert _both(two_years, "refund_and_cancellation_rates", **SINCE_2024) == [
        march_2024,
        april_2024,
    ]


def test_frequently_bought_together_counts_the_ranges_orders(two_years: Engine) -> None:
    # every order holds one product: no pair, over any range
    assert _both(two_years, "frequently_bought_together", min_orders=1) == []
    assert _both(two_years, "frequently_bought_together", min_orders=1, **SINCE_2024) == []


def test_sales_over_time_buckets_from_the_ranges_first_day(two_years: Engine) -> None:
    # weeks from 2024-03-01: order 3 on day 4, order 4 on day 14, order 5 on day 32
    assert _both(
        two_years, "sales_over_time", since="2024-03-01", until="2024-04-30", bucket_days=7
    ) == [(0, 2000, 1), (2, 100, 1), (4, 1000, 1)]
    # days from 2023-03-10: orders 1 (day 0) and 2 (day 10), none in the range after
    assert _both(
        two_years, "sales_over_time", since="2023-03-10", until="2023-12-31", bucket_days=10
    ) == [(0, 1000, 1), (1, 200, 1)]


def test_new_vs_returning_revenue_judges_first_orders_over_all_history(
    two_years: Engine,
) -> None:
    # month, new customers, their revenue, returning customers, their revenue, share
    march_2024 = ("2024-03", 1, 100, 1, 2000, bp(2000, 2100))
    april_2024 = ("2024-04", 0, 0, 1, 1000, 10000)
    assert _both(two_years, "new_vs_returning_revenue") == [
        ("2023-03", 2, 1200, 0, 0, 0),
        march_2024,
        april_2024,
    ]
    # users 1 and 2 first ordered in 2023: in 2024 they return, whatever since says
    assert _both(two_years, "new_vs_returning_revenue", **SINCE_2024) == [
        march_2024,
        april_2024,
    ]


def test_dashboard_kpis_count_returning_customers_over_all_history(two_years: Engine) -> None:
    # revenue, orders, order value, customers, returning ones, their share, refunds, cents
    assert _both(two_years, "dashboard_kpis") == [(4300, 5, 860, 3, 0, 0, 1, 1000)]
    assert _both(two_years, "dashboard_kpis", **SINCE_2024) == [
        (3100, 3, 1033, 3, 2, bp(2, 3), 1, 1000)
    ]
    assert _both(two_years, "dashboard_kpis", **UNTIL_2023) == [(1200, 2, 600, 2, 0, 0, 0, 0)]
    # the refund is dated 2024-04-11, after this range, though its payment is inside
    assert _both(two_years, "dashboard_kpis", since="2024-04-01", until="2024-04-10") == [
        (1000, 1, 1000, 1, 1, 10000, 0, 0)
    ]


def test_repeat_purchase_rate_counts_orders_before_the_range(two_years: Engine) -> None:
    # customers, those with two or more recognized orders by until, their share, the
    # range's orders per customer x 100
    assert _both(two_years, "repeat_purchase_rate") == [(3, 2, bp(2, 3), rounded(500, 3))]
    # users 1 and 2 ordered in 2023 and again in 2024: both are repeat buyers in 2024
    assert _both(two_years, "repeat_purchase_rate", **SINCE_2024) == [(3, 2, bp(2, 3), 100)]
    assert _both(two_years, "repeat_purchase_rate", **UNTIL_2023) == [(2, 0, 0, 100)]


def test_top_customers_rank_by_the_ranges_spend_with_their_first_order_ever(
    two_years: Engine,
) -> None:
    # user, name, email, the range's orders and spend, first order ever, last order
    def customer(user: int, count: int, spend: int, first: str, last: str) -> tuple[Any, ...]:
        return (user, f"U {user}", f"u{user}@example.com", count, spend, at(first), at(last))

    assert _both(two_years, "top_customers") == [
        customer(1, 2, 3000, "2023-03-10 12:00", "2024-03-05 12:00"),
        customer(2, 2, 1200, "2023-03-20 12:00", "2024-04-02 12:00"),
        customer(3, 1, 100, "2024-03-15 12:00", "2024-03-15 12:00"),
    ]
    assert _both(two_years, "top_customers", **SINCE_2024) == [
        customer(1, 1, 2000, "2023-03-10 12:00", "2024-03-05 12:00"),
        customer(2, 1, 1000, "2023-03-20 12:00", "2024-04-02 12:00"),
        customer(3, 1, 100, "2024-03-15 12:00", "2024-03-15 12:00"),
    ]
    assert _both(two_years, "top_customers", until="2024-03-31") == [
        customer(1, 2, 3000, "2023-03-10 12:00", "2024-03-05 12:00"),
        customer(2, 1, 200, "2023-03-20 12:00", "2023-03-20 12:00"),
        customer(3, 1, 100, "2024-03-15 12:00", "2024-03-15 12:00"),
    ]
