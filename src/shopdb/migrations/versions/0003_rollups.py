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


_BUILT_HERE = ("product_sales_daily", "product_sales_monthly", "customer_sales", "sales_daily")

# the rollups' rebuilds as of this revision where later revisions add columns (which
# the rebuild files of the head schema fill; they do not exist yet here): the product
# rollups and sales_daily (new_revenue_cents, 0017)
_PRODUCT_REBUILDS = {
    "sales_daily": """
-- Per UTC day of placing: recognized orders and their revenue, units (from the product
-- rows just built) and customers whose first recognized order was placed that day.
insert into sales_daily (
    day_index,
    month_index,
    order_count,
    revenue_cents,
    units,
    new_customer_count
)
select
    d.day_index,
    d.month_index,
    d.order_count,
    d.revenue_cents,
    coalesce(u.units, 0),
    coalesce(n.new_customer_count, 0)
from (
    select
        {day_index(o.created_at)} as day_index,
        {month_index(o.created_at)} as month_index,
        count(*) as order_count,
        sum(o.total_cents) as revenue_cents
    from orders as o
    where {recognized(o.status)}
    group by
        {day_index(o.created_at)},
        {month_index(o.created_at)}
) as d
left join (
    select
        day_index,
        sum(units) as units
    from product_sales_daily
    group by day_index
) as u on u.day_index = d.day_index
left join (
    select
        {day_index(cs.first_order_at)} as day_index,
        count(*) as new_customer_count
    from customer_sales as cs
    where cs.order_count > 0
    group by {day_index(cs.first_order_at)}
) as n on n.day_index = d.day_index
""",
    "product_sales_daily": """
-- Per UTC day of placing and product: recognized orders holding the product, units and
-- item revenue.
insert into product_sales_daily (
    day_index,
    product_id,
    month_index,
    order_count,
    units,
    revenue_cents
)
select
    {day_index(o.created_at)},
    oi.product_id,
    {month_index(o.created_at)},
    count(*),
    sum(oi.quantity),
    sum(oi.quantity * oi.unit_price_cents)
from orders as o
inner join order_items as oi on oi.order_id = o.order_id
where {recognized(o.status)}
group by
    {day_index(o.created_at)},
    oi.product_id,
    {month_index(o.created_at)}
""",
    "product_sales_monthly": """
-- Per month and product, summed from the daily rows just built.
insert into product_sales_monthly (
    month_index,
    product_id,
    order_count,
    units,
    revenue_cents
)
select
    month_index,
    product_id,
    sum(order_count),
    sum(units),
    sum(revenue_cents)
from product_sales_daily
group by
    month_index,
    product_id
""",
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
    from shopdb.queries import fragments
    from shopdb.rollups.build import rebuild_sql

    # the tables this revision creates, not every rollup of the head schema (``rebuild``
    # would also fill those of later revisions, which do not exist yet)
    bind = op.get_bind()
    for name in _BUILT_HERE:
        if name in _PRODUCT_REBUILDS:
            sql = fragments.expand(_PRODUCT_REBUILDS[name], backend_name(bind))
        else:
            sql = rebuild_sql(name, bind.dialect.name)
        bind.execute(sa.text(sql))


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
