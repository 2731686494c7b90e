"""Migration 0015: the product rollups gain ``refunded_units``, filled from the orders
already refunded, so the rollups (folded plus pending) stay equal to the base tables
although the refunds' deltas from before it carry no refunded units."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Engine

from shopdb.audit import run_checks
from shopdb.datagen.generate import generate
from shopdb.datagen.params import make_params
from shopdb.db import migrate
from shopdb.db.rollup_schema import product_sales_total, rollup_deltas
from shopdb.db.schema import order_items, orders
from shopdb.lifecycle import RECOGNIZED_STATUSES
from shopdb.services import refund_order

ROLLUP_CHECKS = [
    "rollup_product_sales_daily",
    "rollup_product_sales_monthly",
    "rollup_product_sales_yearly",
    "rollup_product_sales_total",
]


def _refunded_units(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.coalesce(func.sum(order_items.c.quantity), 0))
                .select_from(order_items.join(orders))
                .where(orders.c.status == "refunded")
            ).scalar_one()
        )


def test_refunded_units_are_filled_from_the_refunded_orders(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    generate(empty_engine, make_params(3, 0.001, date(2025, 11, 26), 1))
    with empty_engine.connect() as conn:
        paid = conn.execute(
            select(orders.c.order_id).where(orders.c.status.in_(RECOGNIZED_STATUSES)).limit(3)
        ).scalars()
        to_refund = list(paid)
    for order_id in to_refund:  # deltas not yet folded, made before the migration
        refund_order(empty_engine, order_id, now=datetime(2025, 11, 27, tzinfo=UTC))
    refunded = _refunded_units(empty_engine)
    assert refunded > 0
    migrate.downgrade(empty_engine, "0014")
    with empty_engine.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("product_sales_daily")}
        pending = conn.execute(select(func.count()).select_from(rollup_deltas)).scalar_one()
    assert "refunded_units" not in columns
    assert pending > 0

    migrate.upgrade(empty_engine)

    with empty_engine.connect() as conn:
        in_total = conn.execute(select(func.sum(product_sales_total.c.refunded_units))).scalar()
    assert int(in_total) == refunded
    results = run_checks(empty_engine, ROLLUP_CHECKS)
    assert [r.name for r in results] == ROLLUP_CHECKS
    assert [r.name for r in results if not r.passed] == []
