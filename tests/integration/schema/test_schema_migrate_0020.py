"""Migration 0020: the category rollups, filled from the folded product rollups while
deltas still wait in the change log, equal the base tables' items per product's
category; and downgrading removes them with the index a product's move reads."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Engine

from shopdb.audit import run_checks
from shopdb.datagen.generate import generate
from shopdb.datagen.params import make_params
from shopdb.db import migrate
from shopdb.db.rollup_schema import category_sales_yearly, rollup_deltas
from shopdb.db.schema import order_items, orders, products
from shopdb.lifecycle import RECOGNIZED_STATUSES
from shopdb.services import refund_order

CHECKS = [
    "rollup_category_sales_daily",
    "rollup_category_sales_monthly",
    "rollup_category_sales_yearly",
]


def _revenue_per_category(engine: Engine) -> dict[int, int]:
    """Item revenue of recognized orders per product's category, worked out here."""
    out: dict[int, int] = {}
    with engine.connect() as conn:
        for category, quantity, price in conn.execute(
            select(products.c.category_id, order_items.c.quantity, order_items.c.unit_price_cents)
            .join(orders, orders.c.order_id == order_items.c.order_id)
            .join(products, products.c.product_id == order_items.c.product_id)
            .where(orders.c.status.in_(RECOGNIZED_STATUSES))
        ):
            out[int(category)] = out.get(int(category), 0) + int(quantity) * int(price)
    return out


def test_category_rollups_are_filled_from_the_folded_products(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    generate(empty_engine, make_params(3, 0.001, date(2025, 11, 26), 1))
    with empty_engine.connect() as conn:
        first = conn.execute(
            select(func.min(orders.c.order_id)).where(orders.c.status.in_(RECOGNIZED_STATUSES))
        ).scalar_one()
    # a refund not yet folded: its items' deltas wait in rollup_deltas
    refund_order(empty_engine, first, now=datetime(2025, 11, 27, tzinfo=UTC))
    migrate.downgrade(empty_engine, "0019")
    with empty_engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        indexes = {ix["name"] for ix in inspect(conn).get_indexes("product_sales_daily")}
        pending = conn.execute(
            select(func.count()).where(rollup_deltas.c.product_id.is_not(None))
        ).scalar_one()
    assert not tables & {"category_sales_daily", "category_sales_monthly", "category_sales_yearly"}
    assert "ix_product_sales_daily_product_id" not in indexes
    assert pending > 0

    migrate.upgrade(empty_engine)

    expected = _revenue_per_category(empty_engine)
    with empty_engine.connect() as conn:
        c = category_sales_yearly.c
        folded = dict(
            conn.execute(
                select(c.category_id, func.sum(c.revenue_cents)).group_by(c.category_id)
            ).all()
        )
        refunded = conn.execute(
            select(func.sum(rollup_deltas.c.revenue_cents)).where(
                rollup_deltas.c.product_id.is_not(None)
            )
        ).scalar_one()
    assert refunded < 0  # the refund's items, still pending, take revenue away
    assert sum(folded.values()) + refunded == sum(expected.values()) > 0
    results = run_checks(empty_engine, CHECKS)
    assert [r.name for r in results if not r.passed] == []
