"""The rollup tables: summaries the analytics read instead of scanning orders and items.

Every rollup is derived data: ``shopdb rollups rebuild`` recomputes it from the base
tables and ``shopdb check`` holds it equal to them (one check per rollup). Days and
months are integers (``day_index``: days since 1970-01-01 UTC of ``orders.created_at``;
``month_index``: ``year * 12 + month - 1``; ``year_index``: the calendar year), so
buckets compare and join as numbers on every backend. Only recognized orders
(``lifecycle.RECOGNIZED_STATUSES``) count, except in the product rollups'
``refunded_units``: the units of refunded orders (recognized once, never again), which
``low_inventory`` counts as sold (migration 0015).

The services never update a shop-wide row: an order whose recognition changes appends
rows to ``rollup_deltas`` (an insert, which never waits for another checkout), and
readers add the deltas not yet folded to the folded tables, so every answer is exact as
of the reader's snapshot. ``customer_sales`` is per customer, so the services keep it
current directly. See ``shopdb.rollups`` and docs/schema.md.

No foreign keys: a rollup row is checked against the base tables as a whole by the
audit, and neither the fold nor a bulk rebuild should pay a parent look-up per row.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, Index, Integer, String, Table, text

from shopdb.db.schema import MYSQL_TABLE_OPTIONS, metadata
from shopdb.db.types import Cents, Id, UtcDateTime

DayIndex = Integer()
"""Days since 1970-01-01 UTC, or months since year 0 (``year * 12 + month - 1``)."""

rollup_deltas = Table(
    "rollup_deltas",
    metadata,
    Column("delta_id", Id, primary_key=True),
    Column("day_index", DayIndex, nullable=False),
    Column("month_index", DayIndex, nullable=False),
    # NULL: the order's own row (its count, its total, new customers); else one per item
    Column("product_id", Id, nullable=True),
    Column("order_count", Cents, nullable=False),
    Column("units", Cents, nullable=False),
    Column("revenue_cents", Cents, nullable=False),
    Column("new_customer_count", Cents, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # on the order's own row, the order: product_pairs' change is the pairs of its items
    # (read from order_items, which never change once placed) times order_count, so a
    # payment writes no row per pair; NULL on item rows and on new-customer moves
    Column("order_id", Id, nullable=True),
    # on item rows, the units of an order that became refunded (migration 0015)
    Column("refunded_units", Cents, nullable=False, server_default=text("0")),
    # on the order's own row and on new-customer moves, the change in the revenue of
    # customers' first recognized orders on its day (migration 0017)
    Column("new_revenue_cents", Cents, nullable=False, server_default=text("0")),
    **MYSQL_TABLE_OPTIONS,
)

sales_daily = Table(
    "sales_daily",
    metadata,
    Column("day_index", DayIndex, primary_key=True, autoincrement=False),
    Column("month_index", DayIndex, nullable=False),
    Column("order_count", Cents, nullable=False),
    Column("revenue_cents", Cents, nullable=False),
    Column("units", Cents, nullable=False),
    Column("new_customer_count", Cents, nullable=False),
    # the total of those customers' first recognized orders (ties in time by order id;
    # migration 0017)
    Column("new_revenue_cents", Cents, nullable=False, server_default=text("0")),
    **MYSQL_TABLE_OPTIONS,
)

# a (day, product) whose only orders were refunded has a row of zeros but its
# refunded_units
product_sales_daily = Table(
    "product_sales_daily",
    metadata,
    Column("day_index", DayIndex, primary_key=True, autoincrement=False),
    Column("product_id", Id, primary_key=True, autoincrement=False),
    Column("month_index", DayIndex, nullable=False),
    Column("order_count", Cents, nullable=False),
    Column("units", Cents, nullable=False),
    Column("revenue_cents", Cents, nullable=False),
    Column("refunded_units", Cents, nullable=False, server_default=text("0")),
    **MYSQL_TABLE_OPTIONS,
)

product_sales_monthly = Table(
    "product_sales_monthly",
    metadata,
    Column("month_index", DayIndex, primary_key=True, autoincrement=False),
    Column("product_id", Id, primary_key=True, autoincrement=False),
    Column("order_count", Cents, nullable=False),
    Column("units", Cents, nullable=False),
    Column("revenue_cents", Cents, nullable=False),
    Column("refunded_units", Cents, nullable=False, server_default=text("0")),
    **MYSQL_TABLE_OPTIONS,
)

# the calendar years of product_sales_monthly (``year_index`` = ``month_index // 12``): a
# long range reads one row per product and year; see ``shopdb.rollups.spans``
product_sales_yearly = Table(
    "product_sales_yearly",
    metadata,
    Column("year_index", DayIndex, primary_key=True, autoincrement=False),
    Column("product_id", Id, primary_key=True, autoincrement=False),
    Column("order_count", Cents, nullable=False),
    Column("units", Cents, nullable=False),
    Column("revenue_cents", Cents, nullable=False),
    Column("refunded_units", Cents, nullable=False, server_default=text("0")),
    **MYSQL_TABLE_OPTIONS,
)

# every product's sales on the days the queries' "all time" covers, [EARLIEST, LATEST)
# (``spans.ALL_TIME``): the all-time product questions read one row per product
product_sales_total = Table(
    "product_sales_total",
    metadata,
    Column("product_id", Id, primary_key=True, autoincrement=False),
    Column("order_count", Cents, nullable=False),
    Column("units", Cents, nullable=False),
    Column("revenue_cents", Cents, nullable=False),
    Column("refunded_units", Cents, nullable=False, server_default=text("0")),
    **MYSQL_TABLE_OPTIONS,
)

PRODUCT_MEASURES = ("order_count", "units", "revenue_cents", "refunded_units")
"""The measures every product rollup (daily, monthly, yearly, total) holds, in order."""

# a product's folded days, read when it moves to another category (``rollups.categories``)
Index("ix_product_sales_daily_product_id", product_sales_daily.c.product_id)

# The product rollups summed per product's *current* category (migration 0020), so the
# category questions read a row per category and bucket instead of one per product: a
# product that moves to another category takes its folded rows along in the same
# transaction (``rollups.categories.move_product``), and the unfolded deltas are joined
# to the product's category when read or folded. No refunded units: no category
# question asks for them.
category_sales_daily = Table(
    "category_sales_daily",
    metadata,
    Column("day_index", DayIndex, primary_key=True, autoincrement=False),
    Column("category_id", Id, primary_key=True, autoincrement=False),
    Column("month_index", DayIndex, nullable=False),
    Column("order_count", Cents, nullable=False),
    Column("units", Cents, nullable=False),
    Column("revenue_cents", Cents, nullable=False),
    **MYSQL_TABLE_OPTIONS,
)

category_sales_monthly = Table(
    "category_sales_monthly",
    metadata,
    Column("month_index", DayIndex, primary_key=True, autoincrement=False),
    Column("category_id", Id, primary_key=True, autoincrement=False),
    Column("order_count", Cents, nullable=False),
    Column("units", Cents, nullable=False),
    Column("revenue_cents", Cents, nullable=False),
    **MYSQL_TABLE_OPTIONS,
)

category_sales_yearly = Table(
    "category_sales_yearly",
    metadata,
    Column("year_index", DayIndex, primary_key=True, autoincrement=False),
    Column("category_id", Id, primary_key=True, autoincrement=False),
    Column("order_count", Cents, nullable=False),
    Column("units", Cents, nullable=False),
    Column("revenue_cents", Cents, nullable=False),
    **MYSQL_TABLE_OPTIONS,
)

CATEGORY_MEASURES = ("order_count", "units", "revenue_cents")
"""The measures the category rollups hold: ``PRODUCT_MEASURES`` but refunded units."""

customer_sales = Table(
    "customer_sales",
    metadata,
    Column("user_id", Id, primary_key=True, autoincrement=False),
    Column("order_count", Cents, nullable=False),
    Column("spend_cents", Cents, nullable=False),
    Column("first_order_at", UtcDateTime, nullable=True),
    Column("last_order_at", UtcDateTime, nullable=True),
    CheckConstraint("order_count >= 0", name="order_count_nonnegative"),
    CheckConstraint("(order_count = 0) = (first_order_at is null)", name="first_order_iff_orders"),
    **MYSQL_TABLE_OPTIONS,
)
# top customers: the biggest spenders first (ties by lower id) without sorting them all
Index(
    "ix_customer_sales_spend_cents_user_id",
    customer_sales.c.spend_cents.desc(),
    customer_sales.c.user_id,
)

NO_EARLIER_DAY = -1
"""``customer_days.prev_day_index`` of a customer's first day with a recognized order."""

# Distinct customers over any range of days, without a distinct count: each row counts
# customer-days (a customer's day with a recognized order) by that day and the customer's
# previous such day. A customer bought in [since, until) iff exactly one of their days
# there has its previous day before since, so the range's customers are the rows with
# day_index in the range and prev_day_index < since; returning ones also have
# prev_day_index >= 0. Maintained as customer_day_deltas (``shopdb.rollups.customer_days``).
customer_days = Table(
    "customer_days",
    metadata,
    Column("day_index", DayIndex, primary_key=True, autoincrement=False),
    Column("prev_day_index", DayIndex, primary_key=True, autoincrement=False),
    Column("customer_count", Cents, nullable=False),
    CheckConstraint("prev_day_index < day_index", name="prev_day_before_day"),
    # SQLite: rows stored in key order, as InnoDB's: a range of days is one sequential
    # read (6 times faster at SF 1 than the key index plus a row look-up per row)
    sqlite_with_rowid=False,
    **MYSQL_TABLE_OPTIONS,
)

customer_day_deltas = Table(
    "customer_day_deltas",
    metadata,
    Column("delta_id", Id, primary_key=True),
    Column("day_index", DayIndex, nullable=False),
    Column("prev_day_index", DayIndex, nullable=False),
    Column("customer_count", Cents, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    **MYSQL_TABLE_OPTIONS,
)

# Pairs of products bought in the same recognized order, over all of history (orders
# placed on the days of ``spans.ALL_TIME``): frequently_bought_together's answer without
# joining every order's items with themselves. The lower product id comes first.
product_pairs = Table(
    "product_pairs",
    metadata,
    Column("product_a_id", Id, primary_key=True, autoincrement=False),
    Column("product_b_id", Id, primary_key=True, autoincrement=False),
    Column("pair_orders", Cents, nullable=False),
    CheckConstraint("product_a_id < product_b_id", name="lower_product_first"),
    **MYSQL_TABLE_OPTIONS,
)
# the most frequent pairs first (ties by the lower ids), read in that order and stopped
# after the query's limit instead of sorting every pair
Index(
    "ix_product_pairs_pair_orders_product_a_id",
    product_pairs.c.pair_orders.desc(),
    product_pairs.c.product_a_id,
    product_pairs.c.product_b_id,
)

# Cohorts at the grain of days: customers counted by the day of their first recognized
# order (first_day_index, its month cohort_index) in each month with a recognized order
# of theirs (month_index), for cohort_retention over any range of whole days: a range's
# cohorts are the rows whose first day falls in it, without a per-customer scan. At most
# one row per day and later month. cohort_index depends on first_day_index alone; it is
# in the key so that a fold adds only the count. Maintained as customer_cohort_deltas
# (``shopdb.rollups.cohorts``).
customer_cohorts = Table(
    "customer_cohorts",
    metadata,
    Column("first_day_index", DayIndex, primary_key=True, autoincrement=False),
    Column("month_index", DayIndex, primary_key=True, autoincrement=False),
    Column("cohort_index", DayIndex, primary_key=True, autoincrement=False),
    Column("customer_count", Cents, nullable=False),
    CheckConstraint("cohort_index <= month_index", name="cohort_not_after_month"),
    # SQLite: rows in key order, so a range of first days is one sequential read
    sqlite_with_rowid=False,
    **MYSQL_TABLE_OPTIONS,
)

customer_cohort_deltas = Table(
    "customer_cohort_deltas",
    metadata,
    Column("delta_id", Id, primary_key=True),
    Column("first_day_index", DayIndex, nullable=False),
    Column("month_index", DayIndex, nullable=False),
    Column("cohort_index", DayIndex, nullable=False),
    Column("customer_count", Cents, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    **MYSQL_TABLE_OPTIONS,
)

# The order status funnel per UTC day of placing: how many of the day's orders reached
# each stage, as order_status_funnel counts them (paid: paid or beyond, or cancelled
# after a payment; shipped: shipped or delivered, or refunded after shipping; delivered:
# delivered, or refunded after delivery), and the totals of the refunded ones. Every
# stage only ever gains an order (a cancelled or refunded order keeps the stages it
# reached), so each status change appends one row to order_event_deltas
# (``shopdb.rollups.order_events``): +1 in the stage it enters.
order_funnel_daily = Table(
    "order_funnel_daily",
    metadata,
    Column("day_index", DayIndex, primary_key=True, autoincrement=False),
    Column("month_index", DayIndex, nullable=False),
    Column("placed_count", Cents, nullable=False),
    Column("paid_count", Cents, nullable=False),
    Column("shipped_count", Cents, nullable=False),
    Column("delivered_count", Cents, nullable=False),
    Column("cancelled_count", Cents, nullable=False),
    Column("refunded_count", Cents, nullable=False),
    Column("refunded_cents", Cents, nullable=False),
    **MYSQL_TABLE_OPTIONS,
)

# Payment attempts per UTC day they were made and method, as payment_method_mix counts
# them: attempts, completed, failed and refunded ones, and the money captured
# (completed plus refunded). A payment is written completed or failed and can only
# become refunded later (``lifecycle.PAYMENT_REFUND``), which moves it from completed to
# refunded on its own day and leaves the captured money as it was.
payment_method_daily = Table(
    "payment_method_daily",
    metadata,
    Column("day_index", DayIndex, primary_key=True, autoincrement=False),
    Column("method", String(16), primary_key=True),
    Column("attempt_count", Cents, nullable=False),
    Column("completed_count", Cents, nullable=False),
    Column("failed_count", Cents, nullable=False),
    Column("refunded_count", Cents, nullable=False),
    Column("captured_cents", Cents, nullable=False),
    **MYSQL_TABLE_OPTIONS,
)

# The change log of both: a row with no method is a change of order_funnel_daily (the
# day of placing), one with a method a change of payment_method_daily (the day of the
# payment), so a payment that also pays its order appends both in one statement.
order_event_deltas = Table(
    "order_event_deltas",
    metadata,
    Column("delta_id", Id, primary_key=True),
    Column("day_index", DayIndex, nullable=False),
    Column("month_index", DayIndex, nullable=False),
    Column("method", String(16), nullable=True),
    Column("placed_count", Cents, nullable=False),
    Column("paid_count", Cents, nullable=False),
    Column("shipped_count", Cents, nullable=False),
    Column("delivered_count", Cents, nullable=False),
    Column("cancelled_count", Cents, nullable=False),
    Column("refunded_count", Cents, nullable=False),
    Column("refunded_cents", Cents, nullable=False),
    Column("attempt_count", Cents, nullable=False),
    Column("completed_count", Cents, nullable=False),
    Column("failed_count", Cents, nullable=False),
    Column("payment_refunded_count", Cents, nullable=False),
    Column("captured_cents", Cents, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    **MYSQL_TABLE_OPTIONS,
)

# RFM's groups: the customers with a recognized order counted by the day their recency
# counts from and their recognized orders, with their spend, so rfm_segments and
# customer_segments rank a few thousand groups instead of every customer.
# recency_from_day is the day index of the first UTC midnight at or after the
# customer's last recognized order (the order's day + 1, or its day for an order placed
# exactly at midnight): at any midnight as_of, days_between(last_order_at, as_of) is
# as_of's day index less it, with no time of day left over. At most one row per key;
# maintained as customer_rf_deltas (``shopdb.rollups.recency_frequency``).
customer_recency_frequency = Table(
    "customer_recency_frequency",
    metadata,
    Column("recency_from_day", DayIndex, primary_key=True, autoincrement=False),
    Column("order_count", Cents, primary_key=True, autoincrement=False),
    Column("customer_count", Cents, nullable=False),
    Column("spend_cents", Cents, nullable=False),
    CheckConstraint("order_count > 0", name="order_count_positive"),
    # SQLite: rows in key order, so the groups up to a day are one sequential read
    sqlite_with_rowid=False,
    **MYSQL_TABLE_OPTIONS,
)

customer_rf_deltas = Table(
    "customer_rf_deltas",
    metadata,
    Column("delta_id", Id, primary_key=True),
    Column("recency_from_day", DayIndex, nullable=False),
    Column("order_count", Cents, nullable=False),
    Column("customer_count", Cents, nullable=False),
    Column("spend_cents", Cents, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    **MYSQL_TABLE_OPTIONS,
)

NO_LATER_DAY = 2932896
"""``customer_country_days.day_index`` of a customer-country's terminal row: a day after
every day a query asks about (9999-12-31, the end of "all time" in ``spans.ALL_TIME``)."""

NO_COUNTRY = ""
"""``country_code`` of the orders shipped to no country (``orders.ship_country_code``
NULL): a key column cannot be NULL, and no country's code is empty."""

# Recognized orders and revenue per day of placing and shipping country (migration 0016):
# revenue_by_country's orders and revenue, summed over the days of a range. Folded from
# rollup_deltas' order rows (which name their order, and so its country) by
# ``shopdb.rollups.countries``: the services write nothing more.
country_sales_daily = Table(
    "country_sales_daily",
    metadata,
    Column("day_index", DayIndex, primary_key=True, autoincrement=False),
    Column("country_code", String(2), primary_key=True),
    Column("order_count", Cents, nullable=False),
    Column("revenue_cents", Cents, nullable=False),
    sqlite_with_rowid=False,
    **MYSQL_TABLE_OPTIONS,
)

# Distinct customers per shipping country over any range of days (migration 0016), as
# customer_days does it for the shop, per (customer, country): each row counts the
# customer-country-days (a day the customer had a recognized order shipped to the
# country) by that day and the previous such day, and every customer-country has one
# terminal row more, day_index NO_LATER_DAY with its last day as prev_day_index. A
# range's customers of a country are then the rows with day_index in the range and
# prev_day_index < since, or equally (read where the range ends near today) the
# terminal rows with prev_day_index >= since less the rows with day_index from until
# on (terminal rows left out) and prev_day_index < since. Folded from rollup_deltas'
# order rows by ``shopdb.rollups.countries``, which recomputes the links of each
# customer-country a batch touches from its orders.
customer_country_days = Table(
    "customer_country_days",
    metadata,
    Column("day_index", DayIndex, primary_key=True, autoincrement=False),
    Column("prev_day_index", DayIndex, primary_key=True, autoincrement=False),
    Column("country_code", String(2), primary_key=True),
    Column("customer_count", Cents, nullable=False),
    CheckConstraint("prev_day_index < day_index", name="prev_day_before_day"),
    sqlite_with_rowid=False,
    **MYSQL_TABLE_OPTIONS,
)

# Customers by the days of their first two recognized orders (migration 0016): who has
# exactly one recognized order before until, and it in [since, until), is a customer of
# the range who does not repeat (repeat_purchase_rate). second_day_index is NO_LATER_DAY
# for a customer with one recognized order, first_day_index for two on one day. Folded
# from rollup_deltas' order rows by ``shopdb.rollups.countries`` with the per-country
# rollups (the same read of the customers' orders).
customer_first_two_days = Table(
    "customer_first_two_days",
    metadata,
    Column("second_day_index", DayIndex, primary_key=True, autoincrement=False),
    Column("first_day_index", DayIndex, primary_key=True, autoincrement=False),
    Column("customer_count", Cents, nullable=False),
    CheckConstraint("first_day_index <= second_day_index", name="first_day_not_after_second"),
    sqlite_with_rowid=False,
    **MYSQL_TABLE_OPTIONS,
)

# Customers by the day of their first recognized order (migration 0018): how many, their
# recognized orders, spend, and days from first to last order, summed per day, so
# customer_lifetime_value reads a row per day of the range instead of a row per customer.
# Folded from rollup_deltas' order rows with customer_first_two_days (the same read of
# the customers' orders, ``shopdb.rollups.countries``); month_index is first_day_index's
# month, which the cohorts group by. No CHECK on the sums: a fold upserts its changes,
# and the row it would insert (a change, not a total) is checked before the upsert.
customer_first_day_totals = Table(
    "customer_first_day_totals",
    metadata,
    Column("first_day_index", DayIndex, primary_key=True, autoincrement=False),
    Column("month_index", DayIndex, nullable=False),
    Column("customer_count", Cents, nullable=False),
    Column("order_count", Cents, nullable=False),
    Column("spend_cents", Cents, nullable=False),
    Column("lifespan_days", Cents, nullable=False),
    sqlite_with_rowid=False,
    **MYSQL_TABLE_OPTIONS,
)

FOLDED_TABLES = (
    sales_daily,
    product_sales_daily,
    product_sales_monthly,
    product_sales_yearly,
    product_sales_total,
    category_sales_daily,
    category_sales_monthly,
    category_sales_yearly,
)
"""The rollups folded from ``rollup_deltas``."""

ROLLUP_TABLES = (
    rollup_deltas,
    *FOLDED_TABLES,
    customer_sales,
    customer_day_deltas,
    customer_days,
    product_pairs,
    customer_cohort_deltas,
    customer_cohorts,
    order_event_deltas,
    order_funnel_daily,
    payment_method_daily,
    customer_rf_deltas,
    customer_recency_frequency,
    country_sales_daily,
    customer_country_days,
    customer_first_two_days,
    customer_first_day_totals,
)
"""Every rollup table, the change logs before the tables folded from them."""
