"""The invariants ``shopdb check`` holds the data to: a name and one sentence each.

Each name is also the file ``sql/<name>.sql``: one query that returns the violating
rows, so a clean database returns no rows from any of them. The meaning of each order
status comes from ``shopdb.lifecycle``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """One invariant: its name (and SQL file) and the sentence that states it."""

    name: str
    description: str


CHECKS: tuple[Check, ...] = (
    Check(
        "generation_complete",
        "The latest generation run finished: if it is still 'running' or 'failed', the "
        "data is incomplete and must not be trusted (earlier failed runs were replaced).",
    ),
    Check(
        "orphans",
        "Every foreign key (orders, products, categories, inventory, items, payments, "
        "status history, shipments, movements) points at a row that exists.",
    ),
    Check("order_has_items", "Every order has at least one item."),
    Check(
        "order_total_matches_items",
        "Each order's total_cents equals the sum of quantity * unit_price_cents of its items.",
    ),
    Check("pending_order_unpaid", "A pending order has no completed payment."),
    Check(
        "paid_order_reconciles",
        "A paid, shipped or delivered order has completed payments summing exactly to its total.",
    ),
    Check(
        "closed_order_no_completed_payment",
        "A cancelled or refunded order has no completed payment (captured money was refunded).",
    ),
    Check(
        "refunded_payment_rules",
        "A payment has refunded_at exactly when it is refunded, no earlier than it was "
        "made, and only an order that is cancelled or refunded has refunded payments.",
    ),
    Check(
        "refunded_order_reconciles",
        "A refunded order's refunded payments sum exactly to its total.",
    ),
    Check(
        "shipment_matches_status",
        "Shipped and delivered orders have a shipment, only delivered ones have "
        "delivered_at, and pending, paid or cancelled orders have none.",
    ),
    Check("order_after_user", "No order was placed before its user signed up."),
    Check("payment_after_order", "No payment was made before its order was placed."),
    Check(
        "shipment_after_payment",
        "No shipment left before its order was placed or before its last payment, and "
        "none was delivered before it was shipped.",
    ),
    Check(
        "history_after_order",
        "No status change of an order is dated before the order was placed.",
    ),
    Check(
        "history_matches_status",
        "Each order's status history starts with (none -> pending) and its latest entry "
        "names the order's current status.",
    ),
    Check(
        "history_follows_lifecycle",
        "Each later status-history entry starts from the status the previous one set, by a "
        "change the order lifecycle allows.",
    ),
    Check("product_has_inventory", "Every product has an inventory row."),
    Check(
        "ledger_matches_stock",
        "For every product, the inventory movements sum to its quantity_on_hand.",
    ),
    Check(
        "sales_match_items",
        "Each order item took its quantity from stock exactly once: the order's sale "
        "movements for the product sum to minus the item's quantity.",
    ),
    Check(
        "returns_match_cancellations",
        "A cancelled order's returns equal its sales, a refunded order never returns more "
        "than it sold, and no other order has returns.",
    ),
    Check("stock_not_negative", "No product has negative stock on hand."),
    Check(
        "rollup_sales_daily",
        "Each day's sales_daily row plus its unfolded rollup_deltas equals that day's "
        "recognized orders, revenue, units, new customers and their first orders' revenue.",
    ),
    Check(
        "rollup_product_sales_daily",
        "Each product_sales_daily row plus its unfolded rollup_deltas equals the items of "
        "recognized orders (and the units of refunded ones) placed "
        "that day for that product.",
    ),
    Check(
        "rollup_product_sales_monthly",
        "Each product_sales_monthly row plus its unfolded rollup_deltas equals the items of "
        "recognized orders (and the units of refunded ones) placed "
        "that month for that product.",
    ),
    Check(
        "rollup_product_sales_yearly",
        "Each product_sales_yearly row plus its unfolded rollup_deltas equals the items of "
        "recognized orders (and the units of refunded ones) placed "
        "that calendar year for that product.",
    ),
    Check(
        "rollup_product_sales_total",
        "Each product_sales_total row plus its unfolded rollup_deltas equals the items of "
        "recognized orders (and the units of refunded ones) placed "
        "from 1970 to 9999-12-30 (all time) for that product.",
    ),
    Check(
        "rollup_category_sales_daily",
        "Each category_sales_daily row plus its unfolded rollup_deltas (in their products' "
        "categories) equals the items of recognized orders placed that day for the "
        "products now in that category.",
    ),
    Check(
        "rollup_category_sales_monthly",
        "Each category_sales_monthly row plus its unfolded rollup_deltas (in their products' "
        "categories) equals the items of recognized orders placed that month for the "
        "products now in that category.",
    ),
    Check(
        "rollup_category_sales_yearly",
        "Each category_sales_yearly row plus its unfolded rollup_deltas (in their products' "
        "categories) equals the items of recognized orders placed that calendar year for the "
        "products now in that category.",
    ),
    Check(
        "rollup_customer_sales",
        "Each customer_sales row equals its customer's recognized orders: count, spend, "
        "first and last order.",
    ),
    Check(
        "rollup_customer_days",
        "customer_days plus its unfolded customer_day_deltas counts, for each day and "
        "earlier day, the customers with a recognized order that day whose previous one "
        "was on that earlier day.",
    ),
    Check(
        "rollup_product_pairs",
        "Each product_pairs row plus the pairs of the orders named by unfolded rollup_deltas "
        "rows equals the recognized orders placed from 1970 to 9999-12-30 (all time) holding "
        "both products.",
    ),
    Check(
        "rollup_customer_cohorts",
        "customer_cohorts plus its unfolded customer_cohort_deltas counts, for each day "
        "and month, the customers with a recognized order that month whose first one was "
        "placed that day.",
    ),
    Check(
        "rollup_customer_recency_frequency",
        "customer_recency_frequency plus its unfolded customer_rf_deltas counts, for each "
        "day a recency counts from (the first midnight at or after a customer's last "
        "recognized order) and order count, the customers in it and their spend.",
    ),
    Check(
        "rollup_order_funnel_daily",
        "Each order_funnel_daily row plus its unfolded order_event_deltas equals the orders "
        "placed that day and how many of them reached each funnel stage, and the refunded "
        "ones' totals.",
    ),
    Check(
        "rollup_payment_method_daily",
        "Each payment_method_daily row plus its unfolded order_event_deltas equals the "
        "payments made that day with that method: attempts, completed, failed and refunded "
        "ones, and the money captured.",
    ),
    Check(
        "rollup_country_sales_daily",
        "Each country_sales_daily row plus the unfolded rollup_deltas rows of orders shipped "
        "to its country equals the recognized orders placed that day and shipped there, "
        "and their revenue.",
    ),
    Check(
        "rollup_customer_country_days",
        "customer_country_days counts, for each day, earlier day and shipping country, the "
        "customers with a recognized order shipped there that day whose previous one was "
        "on that earlier day, and each customer-country's last day once more, as the "
        "folded rows count the orders (less their unfolded rollup_deltas rows).",
    ),
    Check(
        "rollup_customer_first_two_days",
        "customer_first_two_days counts, for each day of a second recognized order (or "
        "none) and day of a first, the customers whose first two are on those days, as "
        "the folded rows count the orders (less their unfolded rollup_deltas rows).",
    ),
    Check(
        "rollup_customer_first_day_totals",
        "customer_first_day_totals sums, for each day of a first recognized order, the "
        "customers whose first it is, their orders, spend and days from first to last "
        "order, as the folded rows count the orders (less their unfolded rollup_deltas rows).",
    ),
)
"""Every check, in the order ``shopdb check`` runs and lists them."""
