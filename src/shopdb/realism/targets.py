"""What each realism measure should read for a general online shop, and why.

The ranges are calibrated against public anchors (docs/generator.md lists them with
their sources): Adobe's and Salesforce's holiday reports for the peak, the Olist
Brazilian e-commerce data set (a marketplace: about 97% of customers buy once), UCI
Online Retail II (a UK gift shop) for product concentration, Instacart's published
basket data for complements, and retail benchmarks for repeat rates (typically 20-40%
of buyers buy again), card decline rates and domestic delivery times.
"""

from __future__ import annotations

from typing import NamedTuple


class Target(NamedTuple):
    """A measure's acceptable range (inclusive), its unit and where the range comes from."""

    label: str
    low: float
    high: float
    unit: str
    basis: str


INF = float("inf")

TARGETS: dict[str, Target] = {
    "holiday_peak": Target(
        "Black Friday week's busiest day / a normal day",
        1.8,
        4.0,
        "x",
        "Adobe: Black Friday and Cyber Monday sell 2-3x an ordinary day",
    ),
    "december_lift": Target(
        "December's orders per day / September's and October's",
        1.15,
        1.8,
        "x",
        "US Census monthly e-commerce (not seasonally adjusted): December 30-50% above autumn",
    ),
    "weekday_spread": Target(
        "busiest weekday / quietest weekday", 1.05, 1.5, "x", "online orders peak Sun-Mon"
    ),
    "evening_share": Target(
        "orders placed 18:00-23:59 UTC", 0.25, 0.45, "share", "evening peak in every market"
    ),
    "night_share": Target("orders placed 02:00-05:59 UTC", 0.01, 0.08, "share", "night trough"),
    "yearly_growth": Target(
        "orders last 12 months / the 12 before", 1.1, 2.0, "x", "a growing shop"
    ),
    "best_seller_orders": Target(
        "best seller's share of orders",
        0.002,
        0.05,
        "share",
        "Olist's top product: 0.5% of orders; UCI Online Retail's: about 4-5% of invoices",
    ),
    "top_1pct_units": Target(
        "top 1% of products' share of units",
        0.04,
        0.15,
        "share",
        "UCI Online Retail II: about 10-15% for a gift shop",
    ),
    "top_20pct_units": Target(
        "top 20% of products' share of units", 0.45, 0.8, "share", "the 80/20 rule, loosely"
    ),
    "products_sold": Target(
        "products that sold at least once", 0.8, 1.0, "share", "a curated catalogue"
    ),
    "products_listed_in_period": Target(
        "products listed during the period", 0.15, 0.5, "share", "new products every year"
    ),
    "head_turnover": Target(
        "first year's top 10% of products still top 10% in the last",
        0.2,
        0.85,
        "share",
        "popularity drifts: launches and decline",
    ),
    "max_orders_per_customer": Target(
        "most orders by one customer", 5, 100, "orders", "loyal B2C customers order monthly"
    ),
    "top_10pct_buyers_orders": Target(
        "top 10% of buyers' share of orders",
        0.2,
        0.5,
        "share",
        "B2C retail: the top decile places 30-50% of orders",
    ),
    "one_time_buyers": Target(
        "buyers with exactly one order",
        0.5,
        0.8,
        "share",
        "general retailer: 20-40% buy again (Olist, a marketplace: 97% buy once)",
    ),
    "repeat_within_year": Target(
        "buyers ordering again within 365 days of their first order",
        0.15,
        0.4,
        "share",
        "cohort retention of general online retailers",
    ),
    "buyers_of_users": Target(
        "registered users who ever ordered", 0.55, 0.95, "share", "accounts that never buy"
    ),
    "basket_mean": Target(
        "distinct products per order (mean)", 1.5, 3.0, "items", "general retail: 1.5-3"
    ),
    "single_item_orders": Target(
        "orders with a single product", 0.3, 0.65, "share", "Olist 90%, Instacart under 5%"
    ),
    "top_pair_lift": Target(
        "highest lift among the 10 most frequent pairs",
        3.0,
        INF,
        "x",
        "frequently_bought_together's default view must find associations",
    ),
    "complement_pairs": Target(
        "top 10 pairs by lift (5+ orders) that are catalogue complements",
        0.7,
        1.0,
        "share",
        "Instacart: the strongest pairs are complements",
    ),
    "price_spread": Target(
        "p90 / p10 product price within a top-level category (median over categories)",
        3.0,
        25.0,
        "x",
        "shop catalogues span an order of magnitude",
    ),
    "delivery_days": Target(
        "days from order to delivery (median)", 2, 7, "days", "domestic parcel: 2-5 days"
    ),
    "payment_failure_rate": Target(
        "failed payment attempts / attempts",
        0.02,
        0.12,
        "share",
        "card declines: 5-15% of attempts online",
    ),
}
"""Every measure of the report, by name, in report order."""
