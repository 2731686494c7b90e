"""Customer, product, payment and order-flow analysis beyond the seed's queries."""

from __future__ import annotations

from shopdb.queries.params import AS_OF, SINCE, UNTIL, Param, limit, year_before
from shopdb.queries.registry import QuerySpec, cols

MIN_ORDERS = Param("min_orders", "count", "pairs bought together in at least this many orders", 2)

_RANGE = (SINCE, UNTIL)

MORE_QUERIES = (
    QuerySpec(
        "cohort_retention",
        "Customers by first-order month, and the share ordering again in each later month",
        cols(
            "cohort_month text: month of the customers' first recognized order",
            "months_since_first int: 0 for the first month, 1 for the next, ...",
            "cohort_size int: customers in the cohort",
            "active_customers int: of them, those with a recognized order that month",
            "retention_bp int: active / cohort size, basis points",
        ),
        _RANGE,
    ),
    QuerySpec(
        "rfm_segments",
        "Customers grouped by recency, frequency and monetary scores (1-5 each)",
        cols(
            "segment text: champions, loyal, at_risk, promising, hibernating, needs_attention",
            "customer_count int: customers in the segment",
            "order_count int: their recognized orders",
            "revenue_cents int: their revenue",
            "avg_spend_cents int: revenue per customer",
            "avg_recency_days int: days since their last order, averaged",
            "customer_share_bp int: share of all customers, basis points",
        ),
        (AS_OF,),
    ),
    QuerySpec(
        "repeat_purchase_rate",
        "Share of customers with two or more recognized orders",
        cols(
            "customer_count int: customers with a recognized order",
            "repeat_customer_count int: of them, those with two or more by until, earlier ones "
            "included",
            "repeat_rate_bp int: repeat / all, basis points",
            "orders_per_customer_x100 int: recognized orders in the range per customer x 100",
        ),
        _RANGE,
    ),
    QuerySpec(
        "customer_lifetime_value",
        "Historic lifetime value per first-order cohort",
        cols(
            "cohort_month text: month of the customers' first recognized order",
            "customer_count int: customers in the cohort",
            "order_count int: their recognized orders",
            "revenue_cents int: their revenue",
            "clv_cents int: revenue per customer",
            "aov_cents int: revenue per order",
            "orders_per_customer_x100 int: orders per customer x 100",
            "avg_lifespan_days int: days from first to last order, averaged",
        ),
        _RANGE,
    ),
    QuerySpec(
        "frequently_bought_together",
        "Product pairs in the same recognized order, with support, confidence and lift",
        cols(
            "product_a_id int: the pair's lower product id",
            "product_a_sku text: its SKU",
            "product_b_id int: the higher product id",
            "product_b_sku text: its SKU",
            "pair_orders int: orders holding both",
            "support_bp int: pair orders / recognized orders in the range, basis points",
            "confidence_a_to_b_bp int: pair orders / orders holding A, basis points",
            "confidence_b_to_a_bp int: pair orders / orders holding B, basis points",
            "lift_bp int: support / (support A x support B), basis points (10000 = none)",
        ),
        (limit(), MIN_ORDERS, *_RANGE),
    ),
    QuerySpec(
        "payment_method_mix",
        "Payment attempts per method: captured amounts, share and failure rate",
        cols(
            "method text: card, paypal, bank_transfer, gift_card",
            "attempt_count int: payment rows",
            "completed_count int: completed",
            "failed_count int: failed",
            "refunded_count int: refunded",
            "captured_cents int: amount of completed and refunded payments",
            "share_bp int: share of all captured amounts, basis points",
            "failure_rate_bp int: failed / attempts, basis points",
        ),
        _RANGE,
    ),
    QuerySpec(
        "order_status_funnel",
        "How many orders reached paid, shipped, delivered; how many were cancelled, refunded",
        cols(
            "stage_order int: 1 placed, 2 paid, 3 shipped, 4 delivered, 5 cancelled, 6 refunded",
            "stage text: the stage",
            "order_count int: orders that reached it",
            "share_of_placed_bp int: of all placed orders, basis points",
            "step_conversion_bp int: of the previous stage (cancelled: placed, refunded: paid)",
        ),
        _RANGE,
    ),
    QuerySpec(
        "revenue_by_country",
        "Revenue per shipping country",
        cols(
            "country_code text: orders.ship_country_code (empty when unknown)",
            "order_count int: recognized orders",
            "customer_count int: customers who placed them",
            "revenue_cents int: revenue",
            "share_bp int: share of all revenue, basis points",
        ),
        (limit(50), *_RANGE),
    ),
    QuerySpec(
        "refund_and_cancellation_rates",
        "Per month of placing: orders cancelled and refunded, and their rates",
        cols(
            "month text: UTC YYYY-MM the orders were placed",
            "order_count int: orders placed",
            "cancelled_count int: now cancelled",
            "refunded_count int: now refunded",
            "cancellation_rate_bp int: cancelled / placed, basis points",
            "refund_rate_bp int: refunded / placed, basis points",
            "refunded_cents int: total_cents of the refunded orders",
        ),
        _RANGE,
    ),
    QuerySpec(
        "yoy_growth",
        "Revenue per month against the same month a year before",
        cols(
            "month text: UTC YYYY-MM",
            "revenue_cents int: revenue of the month",
            "order_count int: recognized orders",
            "previous_year_revenue_cents int: revenue of the same month a year before",
            "growth_bp int: change over that month, basis points",
        ),
        _RANGE,
        derive=year_before,
    ),
    QuerySpec(
        "new_vs_returning_revenue",
        "Per month: revenue from customers' first orders against their later orders",
        cols(
            "month text: UTC YYYY-MM",
            "new_customer_count int: customers placing their first recognized order",
            "new_revenue_cents int: revenue of those first orders",
            "returning_customer_count int: customers placing a later order",
            "returning_revenue_cents int: revenue of later orders",
            "returning_share_bp int: returning share of the month's revenue, basis points",
        ),
        _RANGE,
    ),
    QuerySpec(
        "category_growth",
        "Item revenue per top-level category and year, with growth over the year before",
        cols(
            "top_category_id int: the top-level category",
            "top_category_name text: its name",
            "year int: UTC year",
            "revenue_cents int: quantity x unit price over items of recognized orders",
            "previous_year_revenue_cents int: the same for the year before",
            "growth_bp int: change over the year before, basis points",
        ),
        _RANGE,
        derive=year_before,
    ),
)
