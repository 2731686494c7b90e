"""``shopdb migrate`` upgrades a database at 0001 in place: the data stays, the rollups
are built from it, and the covering order_items index replaces the plain one."""

from __future__ import annotations

from datetime import UTC, datetime

from click.testing import CliRunner
from sqlalchemy import func, insert, inspect, select
from sqlalchemy.engine import Engine

from shopdb.audit import run_checks
from shopdb.cli import cli
from shopdb.db import migrate
from shopdb.db import schema as s
from shopdb.db.rollup_schema import (
    customer_sales,
    product_sales_total,
    product_sales_yearly,
    sales_daily,
)
from shopdb.db.schema import SCHEMA_VERSION

T0 = datetime(2025, 3, 1, 10, tzinfo=UTC)


def _fill(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(s.users).values(
                user_id=1, email="a@example.com", first_name="A", last_name="B", created_at=T0
            )
        )
        conn.execute(insert(s.categories).values(category_id=1, name="Home"))
        conn.execute(
            insert(s.products).values(
                product_id=1, category_id=1, sku="L-1", name="Lamp", price_cents=700, created_at=T0
            )
        )
        for order_id, status in ((1, "paid"), (2, "pending")):
            conn.execute(
                insert(s.orders).values(
                    order_id=order_id, user_id=1, status=status, created_at=T0, total_cents=1400
                )
            )
            conn.execute(
                insert(s.order_items).values(
                    order_id=order_id, product_id=1, quantity=2, unit_price_cents=700
                )
            )


def test_migrate_upgrades_0001_in_place_and_builds_the_rollups(
    empty_engine: Engine, db_url_text: str
) -> None:
    migrate.upgrade(empty_engine, "0001")
    _fill(empty_engine)

    result = CliRunner().invoke(cli, ["--db", db_url_text, "migrate"])

    assert result.exit_code == 0, result.output
    assert f"from revision 0001 to {SCHEMA_VERSION}" in result.stdout
    with empty_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(s.orders)).scalar_one() == 2
        assert conn.execute(
            select(sales_daily.c.order_count, sales_daily.c.revenue_cents)
        ).all() == [(1, 1400)]
        assert conn.execute(select(customer_sales.c.order_count)).scalar_one() == 1
        yearly = select(func.sum(product_sales_yearly.c.revenue_cents))
        assert conn.execute(yearly).scalar_one() == 1400
        total = select(func.sum(product_sales_total.c.revenue_cents))
        assert conn.execute(total).scalar_one() == 1400
        indexes = {ix["name"] for ix in inspect(conn).get_indexes("order_items")}
    assert "ix_order_items_product_id_order_id_quantity_unit_price_cents" in indexes
    assert "ix_order_items_product_id" not in indexes
    rollup_checks = [r for r in run_checks(empty_engine) if r.name.startswith("rollup_")]
    # 0006 added the years and totals, 0007 customer_days, 0008 product_pairs, 0012
    # customer_cohorts, 0013 the funnel and the payment methods, 0014 RFM's groups, 0016
    # the per-country rollups and the customers' first two days, 0018 their totals per
    # first day, 0020 the categories' days, months and years
    assert len(rollup_checks) == 19
    assert all(r.passed for r in rollup_checks)
