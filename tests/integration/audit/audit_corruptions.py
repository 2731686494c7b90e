"""Corruptions of the valid shop, each with the set of checks it must fail.

Each function breaks the data the way one invariant forbids (bypassing foreign keys
and CHECK constraints where needed, as a bulk load or SQLite with foreign keys off
would), on a connection whose transaction the caller rolls back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from audit_shop import DAY, HOUR, T0, order_total
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from shopdb.db import rollup_schema as r
from shopdb.db import schema as s
from shopdb.lifecycle import RECOGNIZED_STATUSES

Corruption = Callable[[Connection], None]


def bypass_constraints(conn: Connection) -> None:
    backend = conn.dialect.name
    if backend == "sqlite":
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        conn.exec_driver_sql("PRAGMA ignore_check_constraints = ON")
    elif backend == "postgresql":
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        conn.exec_driver_sql(
            "ALTER TABLE inventory DROP CONSTRAINT ck_inventory_quantity_on_hand_nonnegative"
        )
    else:
        conn.exec_driver_sql("SET SESSION foreign_key_checks = 0")
        conn.exec_driver_sql("SET SESSION check_constraint_checks = 0")


def restore_constraints(conn: Connection) -> None:
    backend = conn.dialect.name
    if backend == "sqlite":
        conn.exec_driver_sql("PRAGMA ignore_check_constraints = OFF")
    elif backend in ("mysql", "mariadb"):
        conn.exec_driver_sql("SET SESSION foreign_key_checks = 1")
        conn.exec_driver_sql("SET SESSION check_constraint_checks = 1")
    conn.rollback()


def _move(conn: Connection, product_id: int, delta: int, reason: str, order_id: int | None):
    conn.execute(
        insert(s.inventory_movements).values(
            movement_id=900 + abs(delta) + product_id,
            product_id=product_id,
            quantity_delta=delta,
            reason=reason,
            order_id=order_id,
            created_at=T0 + 30 * DAY,
        )
    )


def _add_stock(conn: Connection, product_id: int, delta: int) -> None:
    conn.execute(
        update(s.inventory)
        .where(s.inventory.c.product_id == product_id)
        .values(quantity_on_hand=s.inventory.c.quantity_on_hand + delta)
    )


def _payment(conn: Connection, order_id: int, amount: int, status: str, **extra) -> None:
    values = {"refunded_at": T0 + 31 * DAY} if status == "refunded" else {}
    conn.execute(
        insert(s.payments).values(
            payment_id=900,
            order_id=order_id,
            amount_cents=amount,
            method="paypal",
            status=status,
            created_at=T0 + 30 * DAY,
            **values,
            **extra,
        )
    )


def _run(conn: Connection, run_status: str) -> None:
    conn.execute(
        insert(s.generation_runs).values(
            run_id=900,
            seed=1,
            scale_factor="1",
            end_date="2024-03-01",
            years=3,
            generator_version="test",
            status=run_status,
            started_at=T0,
            finished_at=None if run_status == "running" else T0 + HOUR,
        )
    )


def _failed_run(conn: Connection) -> None:
    _run(conn, "failed")


def _running_run(conn: Connection) -> None:
    _run(conn, "running")


def _payment_of_missing_order(conn: Connection) -> None:
    _payment(conn, 999, 100, "failed")


def _movement_of_missing_product(conn: Connection) -> None:
    _move(conn, 999, -5, "adjustment", None)


def _item_of_missing_order(conn: Connection) -> None:
    conn.execute(
        insert(s.order_items).values(
            order_item_id=900, order_id=999, product_id=1, quantity=1, unit_price_cents=1
        )
    )


def _order_without_items(conn: Connection) -> None:
    placed = T0 + 20 * DAY
    conn.execute(
        insert(s.orders).values(
            order_id=900, user_id=1, status="pending", created_at=placed, total_cents=0
        )
    )
    conn.execute(
        insert(s.order_status_history).values(
            history_id=900, order_id=900, from_status=None, to_status="pending", changed_at=placed
        )
    )


def _total_off_by_one(conn: Connection) -> None:
    conn.execute(
        update(s.orders).where(s.orders.c.order_id == 1).values(total_cents=order_total(1) + 1)
    )


def _pending_order_paid(conn: Connection) -> None:
    conn.execute(update(s.payments).where(s.payments.c.order_id == 1).values(status="completed"))


def _paid_order_short(conn: Connection) -> None:
    conn.execute(
        update(s.payments)
        .where(s.payments.c.order_id == 2)
        .values(amount_cents=s.payments.c.amount_cents - 1)
    )


def _cancelled_order_paid(conn: Connection) -> None:
    _payment(conn, 5, order_total(5), "completed")


def _paid_order_refunded_payment(conn: Connection) -> None:
    _payment(conn, 2, 100, "refunded")


def _refund_before_payment(conn: Connection) -> None:
    conn.execute(
        update(s.payments)
        .where(s.payments.c.order_id == 7)
        .values(refunded_at=T0 + 7 * DAY + timedelta(minutes=1))
    )


def _refund_without_time(conn: Connection) -> None:
    conn.execute(update(s.payments).where(s.payments.c.order_id == 7).values(refunded_at=None))


def _refund_short(conn: Connection) -> None:
    conn.execute(
        update(s.payments)
        .where(s.payments.c.order_id == 7)
        .values(amount_cents=s.payments.c.amount_cents - 1)
    )


def _shipped_without_shipment(conn: Connection) -> None:
    conn.execute(delete(s.shipments).where(s.shipments.c.order_id == 3))


def _delivered_without_delivery(conn: Connection) -> None:
    conn.execute(update(s.shipments).where(s.shipments.c.order_id == 4).values(delivered_at=None))


def _user_signed_up_late(conn: Connection) -> None:
    conn.execute(update(s.users).where(s.users.c.user_id == 3).values(created_at=T0 + 60 * DAY))


def _payment_before_order(conn: Connection) -> None:
    conn.execute(
        update(s.payments).where(s.payments.c.order_id == 2).values(created_at=T0 + 2 * DAY - HOUR)
    )


def _shipped_before_paid(conn: Connection) -> None:
    conn.execute(
        update(s.shipments)
        .where(s.shipments.c.order_id == 3)
        .values(shipped_at=T0 + 3 * DAY + timedelta(minutes=30))
    )


def _history_before_order(conn: Connection) -> None:
    conn.execute(
        update(s.order_status_history)
        .where(
            s.order_status_history.c.order_id == 2, s.order_status_history.c.to_status == "pending"
        )
        .values(changed_at=T0 + 2 * DAY - HOUR)
    )


def _history_behind_status(conn: Connection) -> None:
    conn.execute(
        delete(s.order_status_history).where(
            s.order_status_history.c.order_id == 2, s.order_status_history.c.to_status == "paid"
        )
    )


def _history_starts_paid(conn: Connection) -> None:
    history = s.order_status_history
    conn.execute(
        update(history)
        .where(history.c.order_id == 2, history.c.to_status == "pending")
        .values(from_status="paid")
    )


def _history_chain_broken(conn: Connection) -> None:
    history = s.order_status_history
    conn.execute(
        update(history)
        .where(history.c.order_id == 4, history.c.to_status == "shipped")
        .values(from_status="pending")
    )


def _history_cancelled_twice(conn: Connection) -> None:
    conn.execute(
        insert(s.order_status_history).values(
            history_id=900,
            order_id=5,
            from_status="cancelled",
            to_status="cancelled",
            changed_at=T0 + 30 * DAY,
        )
    )


def _history_missing(conn: Connection) -> None:
    conn.execute(delete(s.order_status_history).where(s.order_status_history.c.order_id == 1))


def _product_without_inventory(conn: Connection) -> None:
    conn.execute(delete(s.inventory).where(s.inventory.c.product_id == 4))


def _stock_off_ledger(conn: Connection) -> None:
    _add_stock(conn, 1, 1)


def _sale_taken_twice(conn: Connection) -> None:
    _move(conn, 2, -1, "sale", 2)
    _add_stock(conn, 2, -1)


def _return_of_paid_order(conn: Connection) -> None:
    _move(conn, 2, 1, "return", 2)
    _add_stock(conn, 2, 1)


def _negative_stock(conn: Connection) -> None:
    _move(conn, 4, -200, "adjustment", None)
    _add_stock(conn, 4, -200)


def _rollup_day_off(conn: Connection) -> None:
    conn.execute(
        update(r.sales_daily)
        .where(
            r.sales_daily.c.day_index
            == select(func.min(r.sales_daily.c.day_index)).scalar_subquery()
        )
        .values(revenue_cents=r.sales_daily.c.revenue_cents + 1)
    )


def _rollup_new_revenue_off(conn: Connection) -> None:
    """The last day's first orders claim a cent more than they total."""
    conn.execute(
        update(r.sales_daily)
        .where(
            r.sales_daily.c.day_index
            == select(func.max(r.sales_daily.c.day_index)).scalar_subquery()
        )
        .values(new_revenue_cents=r.sales_daily.c.new_revenue_cents + 1)
    )


def _rollup_product_day_off(conn: Connection) -> None:
    first = select(func.min(r.product_sales_daily.c.day_index)).scalar_subquery()
    conn.execute(
        update(r.product_sales_daily)
        .where(r.product_sales_daily.c.day_index == first)
        .values(units=r.product_sales_daily.c.units + 1)
    )


def _rollup_product_month_missing(conn: Connection) -> None:
    first = select(func.min(r.product_sales_monthly.c.month_index)).scalar_subquery()
    conn.execute(
        delete(r.product_sales_monthly).where(r.product_sales_monthly.c.month_index == first)
    )


def _rollup_product_year_off(conn: Connection) -> None:
    last = select(func.max(r.product_sales_yearly.c.year_index)).scalar_subquery()
    conn.execute(
        update(r.product_sales_yearly)
        .where(r.product_sales_yearly.c.year_index == last)
        .values(revenue_cents=r.product_sales_yearly.c.revenue_cents - 1)
    )


def _rollup_category_day_off(conn: Connection) -> None:
    first = select(func.min(r.category_sales_daily.c.day_index)).scalar_subquery()
    conn.execute(
        update(r.category_sales_daily)
        .where(r.category_sales_daily.c.day_index == first)
        .values(units=r.category_sales_daily.c.units + 1)
    )


def _rollup_category_month_missing(conn: Connection) -> None:
    first = select(func.min(r.category_sales_monthly.c.month_index)).scalar_subquery()
    conn.execute(
        delete(r.category_sales_monthly).where(r.category_sales_monthly.c.month_index == first)
    )


def _rollup_category_year_off(conn: Connection) -> None:
    last = select(func.max(r.category_sales_yearly.c.year_index)).scalar_subquery()
    conn.execute(
        update(r.category_sales_yearly)
        .where(r.category_sales_yearly.c.year_index == last)
        .values(revenue_cents=r.category_sales_yearly.c.revenue_cents - 1)
    )


def _category_changed_behind_rollups(conn: Connection) -> None:
    """A product moved to another category by bare SQL: its sales stay in the old one."""
    sold = (
        select(func.min(s.order_items.c.product_id))
        .join(s.orders, s.orders.c.order_id == s.order_items.c.order_id)
        .where(s.orders.c.status.in_(RECOGNIZED_STATUSES))
        .scalar_subquery()
    )
    conn.execute(
        update(s.products)
        .where(s.products.c.product_id == sold)
        .values(category_id=select(func.max(s.categories.c.category_id)).scalar_subquery())
    )


def _rollup_product_total_extra(conn: Connection) -> None:
    conn.execute(
        insert(r.product_sales_total).values(
            product_id=select(func.max(s.products.c.product_id)).scalar_subquery() + 1,
            order_count=1,
            units=1,
            revenue_cents=1,
        )
    )


def _rollup_product_refunds_off(conn: Connection) -> None:
    last = select(func.max(r.product_sales_monthly.c.month_index)).scalar_subquery()
    conn.execute(
        update(r.product_sales_monthly)
        .where(r.product_sales_monthly.c.month_index == last)
        .values(refunded_units=r.product_sales_monthly.c.refunded_units + 1)
    )


def _rollup_refund_delta_extra(conn: Connection) -> None:
    """An unfolded delta that claims a refunded unit no order has."""
    day, month, product = conn.execute(
        select(
            r.product_sales_daily.c.day_index,
            r.product_sales_daily.c.month_index,
            r.product_sales_daily.c.product_id,
        ).limit(1)
    ).one()
    conn.execute(
        insert(r.rollup_deltas).values(
            day_index=day,
            month_index=month,
            product_id=product,
            order_count=0,
            units=0,
            revenue_cents=0,
            new_customer_count=0,
            created_at=T0,
            refunded_units=1,
        )
    )


def _rollup_customer_off(conn: Connection) -> None:
    conn.execute(
        update(r.customer_sales)
        .where(r.customer_sales.c.order_count > 0)
        .values(spend_cents=r.customer_sales.c.spend_cents + 1)
    )


def _rollup_customer_days_off(conn: Connection) -> None:
    c = r.customer_days.c
    first = conn.execute(select(c.day_index, c.prev_day_index).limit(1)).one()
    conn.execute(
        update(r.customer_days)
        .where(c.day_index == first[0], c.prev_day_index == first[1])
        .values(customer_count=c.customer_count + 1)
    )


def _rollup_pair_pending_off(conn: Connection) -> None:
    # two unfolded order rows that cancel out for the daily rollup (one order more, one
    # fewer, on the same day) but name an order with a pair and one without: the pair
    # rollup's readers would count the first order's pairs once more
    items = s.order_items.c
    sizes = select(items.order_id, func.count().label("n")).group_by(items.order_id).subquery()
    with_pair = conn.execute(select(func.min(sizes.c.order_id)).where(sizes.c.n >= 2)).scalar()
    single = conn.execute(select(func.min(sizes.c.order_id)).where(sizes.c.n == 1)).scalar()
    assert with_pair is not None and single is not None
    for order_id, sign in ((with_pair, 1), (single, -1)):
        conn.execute(
            insert(r.rollup_deltas).values(
                day_index=19_783,
                month_index=24_290,
                product_id=None,
                order_count=sign,
                units=0,
                revenue_cents=0,
                new_customer_count=0,
                created_at=T0,
                order_id=order_id,
            )
        )


COUNTRY = "rollup_country_sales_daily"
COUNTRY_DAYS = "rollup_customer_country_days"
FIRST_TWO = "rollup_customer_first_two_days"
FIRST_DAYS = "rollup_customer_first_day_totals"


def _rollup_country_day_off(conn: Connection) -> None:
    c = r.country_sales_daily.c
    first = conn.execute(select(c.day_index, c.country_code).limit(1)).one()
    conn.execute(
        update(r.country_sales_daily)
        .where(c.day_index == first[0], c.country_code == first[1])
        .values(revenue_cents=c.revenue_cents + 1)
    )


def _rollup_country_customers_off(conn: Connection) -> None:
    c = r.customer_country_days.c
    key = (c.day_index, c.prev_day_index, c.country_code)
    first = conn.execute(select(*key).order_by(*key).limit(1)).one()
    conn.execute(
        update(r.customer_country_days)
        .where(*(k == v for k, v in zip(key, first, strict=True)))
        .values(customer_count=c.customer_count + 1)
    )


def _rollup_country_pending_off(conn: Connection) -> None:
    # two unfolded rows that cancel out for the daily rollup (one order more, one fewer,
    # on the same day, no revenue), the first naming a recognized single-item order (no
    # pairs), the other no order: the country rollups' readers would count that order
    # once more in its country and see it as not yet folded
    items = s.order_items.c
    sizes = select(items.order_id, func.count().label("n")).group_by(items.order_id).subquery()
    o = s.orders.c
    order_id = conn.execute(
        select(func.min(o.order_id)).where(
            o.order_id.in_(select(sizes.c.order_id).where(sizes.c.n == 1)),
            o.status.in_(RECOGNIZED_STATUSES),
        )
    ).scalar()
    assert order_id is not None
    for named, sign in ((order_id, 1), (None, -1)):
        conn.execute(
            insert(r.rollup_deltas).values(
                day_index=19_783,
                month_index=24_290,
                product_id=None,
                order_count=sign,
                units=0,
                revenue_cents=0,
                new_customer_count=0,
                created_at=T0,
                order_id=named,
            )
        )


def _rollup_first_two_off(conn: Connection) -> None:
    # one customer moved from the first key to a first day before 1970, which no key has
    c = r.customer_first_two_days.c
    key = (c.second_day_index, c.first_day_index)
    second, first = conn.execute(select(*key).order_by(*key).limit(1)).one()
    conn.execute(
        update(r.customer_first_two_days)
        .where(c.second_day_index == second, c.first_day_index == first)
        .values(customer_count=c.customer_count - 1)
    )
    conn.execute(
        insert(r.customer_first_two_days).values(
            second_day_index=second, first_day_index=-7, customer_count=1
        )
    )


def _rollup_first_day_spend_off(conn: Connection) -> None:
    c = r.customer_first_day_totals.c
    first = conn.execute(select(func.min(c.first_day_index))).scalar_one()
    conn.execute(
        update(r.customer_first_day_totals)
        .where(c.first_day_index == first)
        .values(spend_cents=c.spend_cents + 1)
    )


def _rollup_pair_off(conn: Connection) -> None:
    c = r.product_pairs.c
    first = conn.execute(select(c.product_a_id, c.product_b_id).limit(1)).one()
    conn.execute(
        update(r.product_pairs)
        .where(c.product_a_id == first[0], c.product_b_id == first[1])
        .values(pair_orders=c.pair_orders + 1)
    )


def _first_cohort(conn: Connection) -> Any:
    c = r.customer_cohorts.c
    key = (c.first_day_index, c.month_index, c.cohort_index)
    first = conn.execute(select(*key).order_by(*key).limit(1)).one()
    return (
        (c.first_day_index == first[0]) & (c.month_index == first[1]) & (c.cohort_index == first[2])
    )


def _rollup_cohort_off(conn: Connection) -> None:
    c = r.customer_cohorts.c
    conn.execute(
        update(r.customer_cohorts)
        .where(_first_cohort(conn))
        .values(customer_count=c.customer_count + 1)
    )


def _rollup_cohort_wrong_month(conn: Connection) -> None:
    # the right count under a cohort month its first day does not fall in
    c = r.customer_cohorts.c
    conn.execute(
        update(r.customer_cohorts)
        .where(_first_cohort(conn))
        .values(cohort_index=c.cohort_index - 1)
    )


def _rollup_rf_spend_off(conn: Connection) -> None:
    # the right customers in the first group, one cent more spend
    c = r.customer_recency_frequency.c
    key = (c.recency_from_day, c.order_count)
    first = conn.execute(select(*key).order_by(*key).limit(1)).one()
    conn.execute(
        update(r.customer_recency_frequency)
        .where(c.recency_from_day == first[0], c.order_count == first[1])
        .values(spend_cents=c.spend_cents + 1)
    )


def _rollup_rf_pending_off(conn: Connection) -> None:
    # an unfolded delta moving a customer into a group of one order on day 0, spending 0
    conn.execute(
        insert(r.customer_rf_deltas).values(
            recency_from_day=0, order_count=1, customer_count=1, spend_cents=0, created_at=T0
        )
    )


def _rollup_funnel_day_off(conn: Connection) -> None:
    c = r.order_funnel_daily.c
    first = select(func.min(c.day_index)).scalar_subquery()
    conn.execute(
        update(r.order_funnel_daily)
        .where(c.day_index == first)
        .values(shipped_count=c.shipped_count + 1)
    )


def _event_delta(**values: object) -> dict[str, object]:
    """An ``order_event_deltas`` row on day 0 (no order, no payment): zeros but ``values``."""
    measures = {
        c.name: 0
        for c in r.order_event_deltas.columns
        if c.name not in ("delta_id", "day_index", "month_index", "method", "created_at")
    }
    return measures | {"day_index": 0, "month_index": 1970 * 12, "created_at": T0} | values


def _rollup_funnel_pending_off(conn: Connection) -> None:
    # an unfolded delta refunding money on a day that holds no order
    conn.execute(insert(r.order_event_deltas).values(_event_delta(refunded_cents=1)))


def _rollup_payment_day_off(conn: Connection) -> None:
    c = r.payment_method_daily.c
    first = conn.execute(select(c.day_index, c.method).limit(1)).one()
    conn.execute(
        update(r.payment_method_daily)
        .where(c.day_index == first[0], c.method == first[1])
        .values(captured_cents=c.captured_cents + 1)
    )


def _rollup_payment_pending_off(conn: Connection) -> None:
    # an unfolded payment delta for a method and day no payment has
    conn.execute(insert(r.order_event_deltas).values(_event_delta(method="card", attempt_count=1)))


RF = "rollup_customer_recency_frequency"
"""RFM's groups of customers: a customer's recognized orders changed past the services
move them to another group."""

PAYMENTS = "rollup_payment_method_daily"
"""A payment written or changed past the services: its day's rollup row is off too."""

CASES: dict[str, tuple[Corruption, set[str]]] = {
    "failed_run": (_failed_run, {"generation_complete"}),
    "running_run": (_running_run, {"generation_complete"}),
    "payment_of_missing_order": (_payment_of_missing_order, {"orphans", PAYMENTS}),
    "movement_of_missing_product": (_movement_of_missing_product, {"orphans"}),
    "item_of_missing_order": (_item_of_missing_order, {"orphans", "sales_match_items"}),
    # an order written past the services: the funnel's rollup does not count it
    "order_without_items": (_order_without_items, {"order_has_items", "rollup_order_funnel_daily"}),
    "total_off_by_one": (_total_off_by_one, {"order_total_matches_items"}),
    "pending_order_paid": (_pending_order_paid, {"pending_order_unpaid", PAYMENTS}),
    "paid_order_short": (_paid_order_short, {"paid_order_reconciles", PAYMENTS}),
    "cancelled_order_paid": (
        _cancelled_order_paid,
        {"closed_order_no_completed_payment", PAYMENTS},
    ),
    "paid_order_refunded_payment": (
        _paid_order_refunded_payment,
        {"refunded_payment_rules", PAYMENTS},
    ),
    "refund_before_payment": (_refund_before_payment, {"refunded_payment_rules"}),
    "refund_without_time": (_refund_without_time, {"refunded_payment_rules"}),
    "refund_short": (_refund_short, {"refunded_order_reconciles", PAYMENTS}),
    "shipped_without_shipment": (_shipped_without_shipment, {"shipment_matches_status"}),
    "delivered_without_delivery": (_delivered_without_delivery, {"shipment_matches_status"}),
    "user_signed_up_late": (_user_signed_up_late, {"order_after_user"}),
    "payment_before_order": (_payment_before_order, {"payment_after_order"}),
    "shipped_before_paid": (_shipped_before_paid, {"shipment_after_payment"}),
    "history_before_order": (_history_before_order, {"history_after_order"}),
    "history_behind_status": (_history_behind_status, {"history_matches_status"}),
    "history_starts_paid": (_history_starts_paid, {"history_matches_status"}),
    "history_chain_broken": (_history_chain_broken, {"history_follows_lifecycle"}),
    "history_cancelled_twice": (_history_cancelled_twice, {"history_follows_lifecycle"}),
    "history_missing": (_history_missing, {"history_matches_status"}),
    "product_without_inventory": (_product_without_inventory, {"product_has_inventory"}),
    "stock_off_ledger": (_stock_off_ledger, {"ledger_matches_stock"}),
    "sale_taken_twice": (_sale_taken_twice, {"sales_match_items"}),
    "return_of_paid_order": (_return_of_paid_order, {"returns_match_cancellations"}),
    "negative_stock": (_negative_stock, {"stock_not_negative"}),
    "rollup_day_off": (_rollup_day_off, {"rollup_sales_daily"}),
    "rollup_new_revenue_off": (_rollup_new_revenue_off, {"rollup_sales_daily"}),
    "rollup_product_day_off": (_rollup_product_day_off, {"rollup_product_sales_daily"}),
    "rollup_product_month_missing": (
        _rollup_product_month_missing,
        {"rollup_product_sales_monthly"},
    ),
    "rollup_product_year_off": (_rollup_product_year_off, {"rollup_product_sales_yearly"}),
    "rollup_product_total_extra": (_rollup_product_total_extra, {"rollup_product_sales_total"}),
    "rollup_category_day_off": (_rollup_category_day_off, {"rollup_category_sales_daily"}),
    "rollup_category_month_missing": (
        _rollup_category_month_missing,
        {"rollup_category_sales_monthly"},
    ),
    "rollup_category_year_off": (_rollup_category_year_off, {"rollup_category_sales_yearly"}),
    "category_changed_behind_rollups": (
        _category_changed_behind_rollups,
        {
            "rollup_category_sales_daily",
            "rollup_category_sales_monthly",
            "rollup_category_sales_yearly",
        },
    ),
    "rollup_product_refunds_off": (_rollup_product_refunds_off, {"rollup_product_sales_monthly"}),
    "rollup_refund_delta_extra": (
        _rollup_refund_delta_extra,
        {
            "rollup_product_sales_daily",
            "rollup_product_sales_monthly",
            "rollup_product_sales_yearly",
            "rollup_product_sales_total",
        },
    ),
    "rollup_customer_off": (_rollup_customer_off, {"rollup_customer_sales"}),
    "rollup_customer_days_off": (_rollup_customer_days_off, {"rollup_customer_days"}),
    "rollup_pair_off": (_rollup_pair_off, {"rollup_product_pairs"}),
    "rollup_pair_pending_off": (_rollup_pair_pending_off, {"rollup_product_pairs"}),
    "rollup_cohort_off": (_rollup_cohort_off, {"rollup_customer_cohorts"}),
    "rollup_cohort_wrong_month": (_rollup_cohort_wrong_month, {"rollup_customer_cohorts"}),
    "rollup_rf_spend_off": (_rollup_rf_spend_off, {RF}),
    "rollup_rf_pending_off": (_rollup_rf_pending_off, {RF}),
    "rollup_funnel_day_off": (_rollup_funnel_day_off, {"rollup_order_funnel_daily"}),
    "rollup_funnel_pending_off": (_rollup_funnel_pending_off, {"rollup_order_funnel_daily"}),
    "rollup_payment_day_off": (_rollup_payment_day_off, {PAYMENTS}),
    "rollup_payment_pending_off": (_rollup_payment_pending_off, {PAYMENTS}),
    "rollup_country_day_off": (_rollup_country_day_off, {"rollup_country_sales_daily"}),
    "rollup_country_customers_off": (
        _rollup_country_customers_off,
        {"rollup_customer_country_days"},
    ),
    "rollup_country_pending_off": (
        _rollup_country_pending_off,
        {COUNTRY, COUNTRY_DAYS, FIRST_TWO, FIRST_DAYS},
    ),
    "rollup_first_two_off": (_rollup_first_two_off, {FIRST_TWO}),
    "rollup_first_day_spend_off": (_rollup_first_day_spend_off, {FIRST_DAYS}),
}
