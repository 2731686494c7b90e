"""Some of the queries beyond the seed, against answers worked out by hand (tiny shop)."""

from __future__ import annotations

from analytics_tiny_shop import bp

from shopdb.queries import run_query


def test_repeat_purchase_rate(tiny_shop):
    # customers with recognized orders: 1 (101, 103), 2 (102), 3 (107)
    assert run_query(tiny_shop, "repeat_purchase_rate").rows == [(3, 1, bp(1, 3), 133)]


def test_order_status_funnel(tiny_shop):
    # paid or beyond: 101 102 103 106 107; shipments: 101 103 106 107; delivered: 101 106 107
    assert run_query(tiny_shop, "order_status_funnel").rows == [
        (1, "placed", 8, 10000, 10000),
        (2, "paid", 5, bp(5, 8), bp(5, 8)),
        (3, "shipped", 4, bp(4, 8), bp(4, 5)),
        (4, "delivered", 3, bp(3, 8), bp(3, 4)),
        (5, "cancelled", 1, bp(1, 8), bp(1, 8)),
        (6, "refunded", 1, bp(1, 8), bp(1, 5)),
    ]


def test_payment_method_mix(tiny_shop):
    captured = 120000 + 105000 + 62500
    assert run_query(tiny_shop, "payment_method_mix").rows == [
        ("paypal", 1, 1, 0, 0, 120000, bp(120000, captured), 0),
        ("card", 5, 2, 2, 1, 105000, bp(105000, captured), bp(2, 5)),
        ("bank_transfer", 1, 1, 0, 0, 62500, bp(62500, captured), 0),
        ("gift_card", 1, 0, 1, 0, 0, 0, 10000),
    ]


def test_cohort_retention_fills_months_without_activity(tiny_shop):
    # cohort 2024-01: users 1 and 2, user 1 again in 2024-02; cohort 2024-04: user 3
    assert run_query(tiny_shop, "cohort_retention").rows == [
        ("2024-01", 0, 2, 2, 10000),
        ("2024-01", 1, 2, 1, 5000),
        ("2024-01", 2, 2, 0, 0),
        ("2024-01", 3, 2, 0, 0),
        ("2024-04", 0, 1, 1, 10000),
    ]


def test_frequently_bought_together(tiny_shop):
    assert run_query(tiny_shop, "frequently_bought_together").rows == []
    # 4 recognized orders; 13 is in two of them (101, 103), 10, 11, 14 in one each
    assert run_query(tiny_shop, "frequently_bought_together", min_orders=1).rows == [
        (10, "PH-A", 13, "BK-N", 1, 2500, 10000, 5000, 20000),
        (11, "PH-B", 14, "BK-C", 1, 2500, 10000, 10000, 40000),
    ]


def test_revenue_by_country_puts_unknown_country_by_revenue(tiny_shop):
    total = 237500
    assert run_query(tiny_shop, "revenue_by_country").rows == [
        ("US", 1, 1, 120000, bp(120000, total)),
        (None, 1, 1, 62500, bp(62500, total)),
        ("GB", 2, 1, 55000, bp(55000, total)),
    ]


def test_new_vs_returning_revenue(tiny_shop):
    assert run_query(tiny_shop, "new_vs_returning_revenue").rows == [
        ("2024-01", 2, 171500, 0, 0, 0),
        ("2024-02", 0, 0, 1, 3500, 10000),
        ("2024-04", 1, 62500, 0, 0, 0),
    ]
    # from February on, user 1's order 103 is still a returning one
    assert run_query(tiny_shop, "new_vs_returning_revenue", since="2024-02-01").rows[0] == (
        "2024-02",
        0,
        0,
        1,
        3500,
        10000,
    )
