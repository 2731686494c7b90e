"""The seed's eight business queries: names and columns are a contract."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from shopdb.queries.params import AS_OF, CATEGORY, SINCE, UNTIL, Param, limit
from shopdb.queries.registry import QuerySpec, cols

WINDOW_DAYS = Param(
    "window_days", "count", "days of sales the daily rate is taken over", default=30, maximum=3650
)


def _sales_window(values: Mapping[str, Any]) -> dict[str, Any]:
    return {"window_start": values["as_of"] - timedelta(days=values["window_days"])}


SEED_QUERIES = (
    QuerySpec(
        "total_revenue",
        "Revenue and number of recognized orders",
        cols(
            "revenue_cents int: sum of total_cents over recognized orders",
            "order_count int: recognized orders",
        ),
        (SINCE, UNTIL),
    ),
    QuerySpec(
        "monthly_revenue",
        "Revenue, orders and order value per month, with growth over the previous month",
        cols(
            "month text: UTC YYYY-MM of created_at; months without orders show zeros",
            "revenue_cents int: revenue of the month",
            "order_count int: recognized orders of the month",
            "aov_cents int: average order value, rounded half away from zero",
            "previous_revenue_cents int: the previous calendar month's revenue, "
            "from all history for the first month",
            "growth_bp int: change over the previous month in basis points",
        ),
        (SINCE, UNTIL),
    ),
    QuerySpec(
        "top_customers",
        "Customers who spent the most on recognized orders",
        cols(
            "user_id int: the customer",
            "name text: first and last name",
            "email text: the customer's email",
            "order_count int: recognized orders in the range",
            "lifetime_spend_cents int: their total_cents summed",
            "first_order_at timestamp: first recognized order ever, before the range too",
            "last_order_at timestamp: last recognized order in the range",
        ),
        (limit(), SINCE, UNTIL),
    ),
    QuerySpec(
        "best_selling_products",
        "Products that sold the most units in recognized orders",
        cols(
            "product_id int: the product",
            "sku text: its SKU",
            "name text: its name",
            "category_id int: its category",
            "units_sold int: units in recognized orders",
            "revenue_cents int: quantity x unit price over those items",
            "order_count int: recognized orders holding it",
        ),
        (limit(), SINCE, UNTIL, CATEGORY),
    ),
    QuerySpec(
        "revenue_by_category",
        "Item revenue per category that holds products, with its top-level category",
        cols(
            "category_id int: the category",
            "category_name text: its name",
            "top_category_id int: its top-level ancestor (itself when top-level)",
            "top_category_name text: that ancestor's name",
            "product_count int: products in the category itself",
            "revenue_cents int: quantity x unit price over items of recognized orders",
            "share_bp int: share of all categories' item revenue, basis points",
        ),
        (SINCE, UNTIL),
    ),
    QuerySpec(
        "average_order_value",
        "Average value of a recognized order",
        cols(
            "aov_cents int: revenue / order count, rounded half away from zero",
            "revenue_cents int: revenue",
            "order_count int: recognized orders",
        ),
        (SINCE, UNTIL),
    ),
    QuerySpec(
        "low_inventory",
        "Products at or below their reorder level, with recent daily sales and days of cover",
        cols(
            "product_id int: the product",
            "sku text: its SKU",
            "name text: its name",
            "quantity_on_hand int: units in stock",
            "reorder_level int: the level at which to reorder",
            "recent_units_sold int: units in orders not cancelled, placed in the window",
            "daily_sales_milli int: units per day x 1000, rounded",
            "days_of_cover int: whole days the stock lasts at that rate (empty: no sales)",
        ),
        (AS_OF, WINDOW_DAYS),
        derive=_sales_window,
    ),
    QuerySpec(
        "unpaid_orders",
        "Orders still pending payment, oldest first",
        cols(
            "order_id int: the order",
            "user_id int: its customer",
            "email text: the customer's email",
            "created_at timestamp: when it was placed",
            "total_cents int: what is owed",
            "age_days int: whole days from created_at to as_of",
            "failed_payment_count int: failed payment attempts",
        ),
        (AS_OF,),
    ),
)
