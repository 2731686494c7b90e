"""Rollups and the measured indexes: the summary tables, filled from the data present;
the covering per-product index on order_items in place of the plain one.

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from shopdb.db.types import UtcDateTime

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_MYSQL: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}


def _measures(*names: str) -> list[sa.Column[int]]:
    return [sa.Column(name, _ID, nullable=False) for name in names]


def upgrade() -> None:
    op.create_table(
        "rollup_deltas",
        sa.Column("delta_id", _ID, nullable=False),
        sa.Column("day_index", sa.Integer(), nullable=False),
        sa.Column("month_index", sa.Integer(), nullable=False),
        sa.Column("product_id", _ID, nullable=True),
        *_measures("order_count", "units", "revenue_cents", "new_customer_count"),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("delta_id", name=op.f("pk_rollup_deltas")),
        **_MYSQL,
    )
    op.create_table(
        "sales_daily",
        sa.Column("day_index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("month_index", sa.Integer(), nullable=False),
        *_measures("order_count", "revenue_cents", "units", "new_customer_count"),
        sa.PrimaryKeyConstraint("day_index", name=op.f("pk_sales_daily")),
        **_MYSQL,
    )
    op.create_table(
        "product_sales_daily",
        sa.Column("day_index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("product_id", _ID, autoincrement=False, nullable=False),
        sa.Column("month_index", sa.Integer(), nullable=False),
        *_measures("order_count", "units", "revenue_cents"),
        sa.PrimaryKeyConstraint("day_index", "product_id", name=op.f("pk_product_sales_daily")),
        **_MYSQL,
    )
    op.create_table(
        "product_sales_monthly",
        sa.Column("month_index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("product_id", _ID, autoincrement=False, nullable=False),
        *_measures("order_count", "units", "revenue_cents"),
        sa.PrimaryKeyConstraint("month_index", "product_id", name=op.f("pk_product_sales_monthly")),
        **_MYSQL,
    )
    op.create_table(
        "customer_sales",
        sa.Column("user_id", _ID, autoincrement=False, nullable=False),
        *_measures("order_count", "spend_cents"),
        sa.Column("first_order_at", UtcDateTime(), nullable=True),
        sa.Column("last_order_at", UtcDateTime(), nullable=True),
        sa.CheckConstraint(
            "order_count >= 0", name=op.f("ck_customer_sales_order_count_nonnegative")
        ),
        sa.CheckConstraint(
            "(order_count = 0) = (first_order_at is null)",
            name=op.f("ck_customer_sales_first_order_iff_orders"),
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_customer_sales")),
        **_MYSQL,
    )
    op.create_index(
        "ix_customer_sales_spend_cents_user_id",
        "customer_sales",
        [sa.text("spend_cents DESC"), "user_id"],
        unique=False,
    )
    # the new index first: MariaDB keeps the product_id foreign key on an index
    op.create_index(
        op.f("ix_order_items_product_id_order_id_quantity_unit_price_cents"),
        "order_items",
        ["product_id", "order_id", "quantity", "unit_price_cents"],
        unique=False,
    )
    op.drop_index(op.f("ix_order_items_product_id"), table_name="order_items")
    from shopdb.db.backend import backend_name
    from shopdb.rollups.build import rebuild_sql

    # the tables created here, not build.rebuild's list: later revisions add rollups
    bind = op.get_bind()
    for name in ("product_sales_daily", "product_sales_monthly", "customer_sales", "sales_daily"):
        bind.execute(sa.text(rebuild_sql(name, backend_name(bind))))


def downgrade() -> None:
    op.create_index(op.f("ix_order_items_product_id"), "order_items", ["product_id"], unique=False)
    op.drop_index(
        op.f("ix_order_items_product_id_order_id_quantity_unit_price_cents"),
        table_name="order_items",
    )
    op.drop_index("ix_customer_sales_spend_cents_user_id", table_name="customer_sales")
    for table in (
        "customer_sales",
        "product_sales_monthly",
        "product_sales_daily",
        "sales_daily",
        "rollup_deltas",
    ):
        op.drop_table(table)
