"""Valid rows for every shopdb table, and inserting a row together with its parents.

``valid_row(table, n)`` gives the n-th valid row: explicit key ``n``, unique values that
differ with ``n``, foreign keys pointing at row 1 of the parent (or row ``n`` where a
unique constraint needs a different parent per row). Tests build a bad row by changing
one value of a valid one, so the only rule it can break is the one under test.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Table, exists, insert, select
from sqlalchemy.engine import Connection

from shopdb.db.schema import metadata

T0 = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
MISSING_ID = 987_654_321


def _users(n: int) -> dict[str, Any]:
    return dict(
        user_id=n,
        email=f"user{n}@example.com",
        first_name="Ada",
        last_name="Lovelace",
        created_at=T0,
        country_code="GB",
        city="London",
    )


def _categories(n: int) -> dict[str, Any]:
    return dict(category_id=n, name=f"Category {n}", parent_id=None)


def _products(n: int) -> dict[str, Any]:
    return dict(
        product_id=n,
        category_id=1,
        sku=f"SKU-{n:05d}",
        name=f"Product {n}",
        price_cents=1999,
        created_at=T0,
        brand="Acme",
    )


def _inventory(n: int) -> dict[str, Any]:
    return dict(product_id=n, quantity_on_hand=10, reorder_level=2, updated_at=T0)


def _orders(n: int) -> dict[str, Any]:
    return dict(
        order_id=n,
        user_id=1,
        status="pending",
        created_at=T0,
        total_cents=1999,
        ship_country_code="GB",
        ship_city="London",
    )


def _order_items(n: int) -> dict[str, Any]:
    return dict(order_item_id=n, order_id=1, product_id=n, quantity=1, unit_price_cents=1999)


def _payments(n: int) -> dict[str, Any]:
    return dict(
        payment_id=n,
        order_id=1,
        amount_cents=1999,
        method="card",
        status="completed",
        created_at=T0,
        idempotency_key=f"key-{n}",
    )


def _order_status_history(n: int) -> dict[str, Any]:
    return dict(history_id=n, order_id=1, from_status=None, to_status="pending", changed_at=T0)


def _shipments(n: int) -> dict[str, Any]:
    return dict(
        shipment_id=n,
        order_id=n,
        carrier="DHL",
        tracking_number=f"TRK{n:08d}",
        shipped_at=T0,
        delivered_at=T0 + timedelta(days=2),
    )


def _inventory_movements(n: int) -> dict[str, Any]:
    return dict(
        movement_id=n,
        product_id=1,
        quantity_delta=5,
        reason="receipt",
        order_id=None,
        created_at=T0,
    )


def _generation_runs(n: int) -> dict[str, Any]:
    return dict(
        run_id=n,
        seed=42,
        scale_factor="0.01",
        end_date="2024-12-31",
        years=3,
        generator_version="1",
        status="complete",
        started_at=T0,
        finished_at=T0 + timedelta(minutes=1),
    )


def _api_keys(n: int) -> dict[str, Any]:
    return dict(
        api_key_id=n,
        role="clerk",
        label=f"key {n}",
        key_prefix="shopdb_abcde",
        key_hash=f"{n:064x}",
        created_at=T0,
        revoked_at=None,
    )


def _idempotency_keys(n: int) -> dict[str, Any]:
    return dict(
        idempotency_key=f"idem-{n}",
        api_key_id=1,
        request_hash=f"{n:064x}",
        status_code=201,
        response_body="{}",
        location=None,
        staff_id=None,
        created_at=T0,
    )


def _staff_accounts(n: int) -> dict[str, Any]:
    return dict(
        staff_id=n,
        email=f"staff{n}@example.com",
        role="clerk",
        password_hash="$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
        created_at=T0,
        disabled_at=None,
    )


def _alembic_version(n: int) -> dict[str, Any]:
    return dict(version_num=f"test-{n}")


def _rollup_deltas(n: int) -> dict[str, Any]:
    return dict(
        delta_id=n,
        day_index=19_783,
        month_index=24_290,
        product_id=1,
        order_count=1,
        units=2,
        revenue_cents=3998,
        new_customer_count=0,
        created_at=T0,
    )


def _sales_daily(n: int) -> dict[str, Any]:
    return dict(
        day_index=19_782 + n,
        month_index=24_290,
        order_count=1,
        revenue_cents=3998,
        units=2,
        new_customer_count=1,
    )


def _product_sales_daily(n: int) -> dict[str, Any]:
    return dict(
        day_index=19_782 + n,
        product_id=1,
        month_index=24_290,
        order_count=1,
        units=2,
        revenue_cents=3998,
    )


def _product_sales_monthly(n: int) -> dict[str, Any]:
    return dict(month_index=24_289 + n, product_id=1, order_count=1, units=2, revenue_cents=3998)


def _product_sales_yearly(n: int) -> dict[str, Any]:
    return dict(year_index=2023 + n, product_id=1, order_count=1, units=2, revenue_cents=3998)


def _product_sales_total(n: int) -> dict[str, Any]:
    return dict(product_id=n, order_count=1, units=2, revenue_cents=3998)


def _category_sales_daily(n: int) -> dict[str, Any]:
    return dict(
        day_index=19_723 + n,
        category_id=1,
        month_index=24_288,
        order_count=1,
        units=2,
        revenue_cents=3998,
    )


def _category_sales_monthly(n: int) -> dict[str, Any]:
    return dict(month_index=24_289 + n, category_id=1, order_count=1, units=2, revenue_cents=3998)


def _category_sales_yearly(n: int) -> dict[str, Any]:
    return dict(year_index=2023 + n, category_id=1, order_count=1, units=2, revenue_cents=3998)


def _customer_sales(n: int) -> dict[str, Any]:
    return dict(user_id=n, order_count=1, spend_cents=3998, first_order_at=T0, last_order_at=T0)


def _customer_days(n: int) -> dict[str, Any]:
    return dict(day_index=19_782 + n, prev_day_index=-1, customer_count=1)


def _customer_day_deltas(n: int) -> dict[str, Any]:
    return dict(
        delta_id=n, day_index=19_782, prev_day_index=19_700, customer_count=1, created_at=T0
    )


def _product_pairs(n: int) -> dict[str, Any]:
    return dict(product_a_id=n, product_b_id=n + 1, pair_orders=1)


def _lake_deltas(n: int) -> dict[str, Any]:
    return dict(delta_id=n, table_name="orders", month_index=24_290, change_count=1)


def _lake_versions(n: int) -> dict[str, Any]:
    return dict(table_name="orders", month_index=24_290 + n, change_count=1)


def _customer_cohorts(n: int) -> dict[str, Any]:
    return dict(first_day_index=19_782 + n, month_index=650, cohort_index=649, customer_count=1)


def _customer_recency_frequency(n: int) -> dict[str, Any]:
    return dict(recency_from_day=19_782 + n, order_count=2, customer_count=1, spend_cents=500)


def _country_sales_daily(n: int) -> dict[str, Any]:
    return dict(day_index=19_782 + n, country_code="FR", order_count=2, revenue_cents=500)


def _customer_country_days(n: int) -> dict[str, Any]:
    return dict(day_index=19_782 + n, prev_day_index=-1, country_code="", customer_count=1)


def _customer_first_two_days(n: int) -> dict[str, Any]:
    return dict(second_day_index=19_782 + n, first_day_index=19_782, customer_count=1)


def _customer_first_day_totals(n: int) -> dict[str, Any]:
    return dict(
        first_day_index=19_782 + n,
        month_index=650,
        customer_count=1,
        order_count=2,
        spend_cents=500,
        lifespan_days=3,
    )


def _customer_rf_deltas(n: int) -> dict[str, Any]:
    return dict(
        delta_id=n,
        recency_from_day=19_782,
        order_count=2,
        customer_count=1,
        spend_cents=500,
        created_at=T0,
    )


def _customer_cohort_deltas(n: int) -> dict[str, Any]:
    return dict(
        delta_id=n,
        first_day_index=19_782,
        month_index=650,
        cohort_index=649,
        customer_count=1,
        created_at=T0,
    )


_FUNNEL = dict(
    placed_count=2,
    paid_count=1,
    shipped_count=1,
    delivered_count=0,
    cancelled_count=1,
    refunded_count=1,
    refunded_cents=3998,
)
_PAYMENT = dict(attempt_count=2, completed_count=1, failed_count=1, captured_cents=3998)


def _order_funnel_daily(n: int) -> dict[str, Any]:
    return dict(day_index=19_782 + n, month_index=24_289, **_FUNNEL)


def _payment_method_daily(n: int) -> dict[str, Any]:
    return dict(day_index=19_782 + n, method="card", refunded_count=0, **_PAYMENT)


def _order_event_deltas(n: int) -> dict[str, Any]:
    return dict(
        delta_id=n,
        day_index=19_782,
        month_index=24_289,
        method="card",
        payment_refunded_count=0,
        created_at=T0,
        **_FUNNEL,
        **_PAYMENT,
    )


ROWS = {
    "users": _users,
    "categories": _categories,
    "products": _products,
    "inventory": _inventory,
    "orders": _orders,
    "order_items": _order_items,
    "payments": _payments,
    "order_status_history": _order_status_history,
    "shipments": _shipments,
    "inventory_movements": _inventory_movements,
    "generation_runs": _generation_runs,
    "api_keys": _api_keys,
    "idempotency_keys": _idempotency_keys,
    "staff_accounts": _staff_accounts,
    "alembic_version": _alembic_version,
    "rollup_deltas": _rollup_deltas,
    "sales_daily": _sales_daily,
    "product_sales_daily": _product_sales_daily,
    "product_sales_monthly": _product_sales_monthly,
    "product_sales_yearly": _product_sales_yearly,
    "product_sales_total": _product_sales_total,
    "category_sales_daily": _category_sales_daily,
    "category_sales_monthly": _category_sales_monthly,
    "category_sales_yearly": _category_sales_yearly,
    "customer_sales": _customer_sales,
    "customer_day_deltas": _customer_day_deltas,
    "customer_days": _customer_days,
    "product_pairs": _product_pairs,
    "lake_deltas": _lake_deltas,
    "lake_versions": _lake_versions,
    "customer_cohort_deltas": _customer_cohort_deltas,
    "customer_cohorts": _customer_cohorts,
    "order_funnel_daily": _order_funnel_daily,
    "payment_method_daily": _payment_method_daily,
    "order_event_deltas": _order_event_deltas,
    "customer_rf_deltas": _customer_rf_deltas,
    "customer_recency_frequency": _customer_recency_frequency,
    "country_sales_daily": _country_sales_daily,
    "customer_country_days": _customer_country_days,
    "customer_first_two_days": _customer_first_two_days,
    "customer_first_day_totals": _customer_first_day_totals,
}


def valid_row(table: str, n: int = 1, **changes: Any) -> dict[str, Any]:
    """The n-th valid row of ``table``, with ``changes`` applied."""
    return {**ROWS[table](n), **changes}


def ensure_parents(conn: Connection, table: Table, row: dict[str, Any]) -> None:
    """Insert the parent rows ``row``'s foreign keys point at, if they are missing."""
    for fk in table.foreign_keys:
        value = row.get(fk.parent.name)
        parent = fk.column.table
        if value is None or value == MISSING_ID:
            continue
        if parent is table and value == row.get(fk.column.name):
            continue
        if not conn.execute(select(exists().where(fk.column == value))).scalar():
            insert_with_parents(conn, parent, valid_row(parent.name, value))


def insert_with_parents(conn: Connection, table: Table, row: dict[str, Any]) -> None:
    """Insert ``row`` into ``table`` after the parent rows it needs."""
    ensure_parents(conn, table, row)
    conn.execute(insert(table).values(**row))


def snapshot(conn: Connection, table: Table) -> list[tuple[Any, ...]]:
    """Every row of ``table``, in key order."""
    rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
    return [tuple(row) for row in rows]


def table_named(name: str) -> Table:
    """The shopdb table called ``name``."""
    return metadata.tables[name]
