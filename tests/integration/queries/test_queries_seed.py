"""Each seed query against answers worked out by hand on the tiny shop (see conftest)."""

from __future__ import annotations

from analytics_tiny_shop import AS_OF, at, bp, rounded

from shopdb.queries import run_query


def test_total_revenue_counts_only_paid_shipped_delivered(tiny_shop):
    # recognized: 101 (51500), 102 (120000), 103 (3500), 107 (62500)
    result = run_query(tiny_shop, "total_revenue")
    assert result.columns == ("revenue_cents", "order_count")
    assert result.rows == [(237500, 4)]


def test_total_revenue_range_includes_the_until_day(tiny_shop):
    result = run_query(tiny_shop, "total_revenue", since="2024-01-20", until="2024-02-10")
    assert result.rows == [(123500, 2)]


def test_total_revenue_of_an_empty_range_is_zero(tiny_shop):
    assert run_query(tiny_shop, "total_revenue", until="2023-12-31").rows == [(0, 0)]


def test_monthly_revenue_fills_empty_months_and_computes_growth(tiny_shop):
    result = run_query(tiny_shop, "monthly_revenue")
    assert result.rows == [
        ("2024-01", 171500, 2, 85750, None, None),
        ("2024-02", 3500, 1, 3500, 171500, bp(3500 - 171500, 171500)),
        ("2024-03", 0, 0, None, 3500, -10000),
        ("2024-04", 62500, 1, 62500, 0, None),
    ]
    assert bp(3500 - 171500, 171500) == -9796


def test_top_customers_by_spend_with_limit(tiny_shop):
    result = run_query(tiny_shop, "top_customers", limit=2)
    assert result.rows == [
        (
            2,
            "Bob Stone",
            "bob@example.com",
            1,
            120000,
            at("2024-01-20 12:00"),
            at("2024-01-20 12:00"),
        ),
        (3, "Cy Young", "cy@example.com", 1, 62500, at("2024-04-20 18:00"), at("2024-04-20 18:00")),
    ]
    everyone = run_query(tiny_shop, "top_customers")
    assert [row[0] for row in everyone.rows] == [2, 3, 1]
    assert everyone.rows[2][3:5] == (2, 55000)


def test_best_selling_products_breaks_ties_by_lower_id(tiny_shop):
    result = run_query(tiny_shop, "best_selling_products")
    assert result.rows == [
        (13, "BK-N", "Novel", 4, 3, 4500, 2),
        (11, "PH-B", "Phone B", 2, 2, 60000, 1),
        (10, "PH-A", "Phone A", 2, 1, 50000, 1),
        (12, "LT-1", "Laptop", 3, 1, 120000, 1),
        (14, "BK-C", "Cookbook", 4, 1, 2500, 1),
    ]
    assert [r[0] for r in run_query(tiny_shop, "best_selling_products", limit=1).rows] == [13]


def test_best_selling_products_in_a_category_includes_subcategories(tiny_shop):
    electronics = run_query(tiny_shop, "best_selling_products", category_id=1)
    assert [row[0] for row in electronics.rows] == [11, 10, 12]
    phones = run_query(tiny_shop, "best_selling_products", category_id=2)
    assert [row[0] for row in phones.rows] == [11, 10]


def test_revenue_by_category_one_row_per_category_with_products(tiny_shop):
    total = 110000 + 120000 + 7000
    result = run_query(tiny_shop, "revenue_by_category")
    assert result.rows == [
        (3, "Laptops", 1, "Electronics", 1, 120000, bp(120000, total)),
        (2, "Phones", 1, "Electronics", 2, 110000, bp(110000, total)),
        (4, "Books", 4, "Books", 2, 7000, bp(7000, total)),
    ]
    assert [row[6] for row in result.rows] == [5063, 4641, 295]


def test_average_order_value(tiny_shop):
    assert run_query(tiny_shop, "average_order_value").rows == [(59375, 237500, 4)]
    # 51500 + 120000 over two orders is 85750; 3500 alone
    assert run_query(tiny_shop, "average_order_value", until="2024-01-31").rows == [
        (85750, 171500, 2)
    ]
    assert run_query(tiny_shop, "average_order_value", since="2025-01-01").rows == [(None, 0, 0)]


def test_low_inventory_with_recent_sales_and_cover(tiny_shop):
    # window 2024-04-01 .. as_of: 106 (refunded, p10 x1), 107 (p11 x2, p14 x1),
    # 108 (pending, p13 x1); at or below reorder level: p10, p12, p13
    result = run_query(tiny_shop, "low_inventory", as_of=AS_OF)
    assert result.rows == [
        (13, "BK-N", "Novel", 0, 5, 1, rounded(1000, 30), 0),
        (10, "PH-A", "Phone A", 3, 5, 1, rounded(1000, 30), 90),
        (12, "LT-1", "Laptop", 2, 2, 0, 0, None),
    ]
    # a 10-day window that ends before order 108 was placed
    shorter = run_query(tiny_shop, "low_inventory", as_of="2024-04-25", window_days=10)
    assert [row[:1] + row[5:] for row in shorter.rows] == [
        (10, 1, 100, 30),
        (12, 0, 0, None),
        (13, 0, 0, None),
    ]


def test_unpaid_orders_oldest_first_with_age_in_whole_days(tiny_shop):
    result = run_query(tiny_shop, "unpaid_orders", as_of=AS_OF)
    assert result.rows == [
        (104, 3, "cy@example.com", at("2024-02-28 23:59:59.999999"), 30000, 62, 2),
        # placed 23h 59m 59.5s before as_of: not yet a whole day
        (108, 1, "ada@example.com", at("2024-04-30 00:00:00.5"), 1500, 0, 0),
    ]
    assert (AS_OF - at("2024-02-28 23:59:59.999999")).days == 62
    # one microsecond short of 31 days, then exactly 31 days
    for as_of, age in (("2024-03-30T23:59:59.999998", 30), ("2024-03-30T23:59:59.999999", 31)):
        earlier = run_query(tiny_shop, "unpaid_orders", as_of=as_of)
        assert earlier.rows == [
            (104, 3, "cy@example.com", at("2024-02-28 23:59:59.999999"), 30000, age, 2),
        ]
