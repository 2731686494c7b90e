"""The dashboard's own questions: headline figures, sales over time, the work queue.

They are catalogue queries like the others (``shopdb query dashboard_kpis``), so the
pages never hold SQL and whatever makes the catalogue faster makes the dashboard faster.
"""

from __future__ import annotations

from shopdb.queries.params import SINCE, UNTIL, Param
from shopdb.queries.registry import QuerySpec, cols

BUCKET_DAYS = Param("bucket_days", "count", "days per bucket (1: daily, 7: weekly)", 1, 366)

DASHBOARD_QUERIES = (
    QuerySpec(
        "dashboard_kpis",
        "Revenue, orders, order value, customers, returning share and refunds in a range",
        cols(
            "revenue_cents int: sum of total_cents over recognized orders placed in the range",
            "order_count int: recognized orders placed in the range",
            "aov_cents int: revenue / orders, rounded half away from zero (empty: no orders)",
            "customer_count int: customers with a recognized order in the range",
            "returning_customer_count int: of them, those with one placed before the range",
            "returning_rate_bp int: returning / customers, basis points (empty: no customers)",
            "refund_count int: payments refunded in the range",
            "refunded_cents int: the amount of those payments",
        ),
        (SINCE, UNTIL),
    ),
    QuerySpec(
        "sales_over_time",
        "Recognized revenue and orders per bucket of days from the range's first day",
        cols(
            "bucket_index int: 0 for the bucket starting at since, 1 for the next, ...",
            "revenue_cents int: sum of total_cents over recognized orders in the bucket",
            "order_count int: recognized orders in the bucket",
        ),
        (SINCE, UNTIL, BUCKET_DAYS),
    ),
    QuerySpec(
        "operations_summary",
        "The work queue now: orders to pay, orders to ship, products low on or out of stock",
        cols(
            "orders_to_pay int: pending orders",
            "orders_to_ship int: paid orders not yet shipped",
            "low_stock_count int: products at or below their reorder level",
            "out_of_stock_count int: products with no units on hand",
        ),
    ),
)
