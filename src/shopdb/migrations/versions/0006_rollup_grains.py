"""Product sales per calendar year and over all time: the grains that keep long ranges
of the product questions to a row per product and year (or one per product); filled
from the rollups present.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_MYSQL: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}


def _measures() -> list[sa.Column[int]]:
    return [
        sa.Column(name, _ID, nullable=False) for name in ("order_count", "units", "revenue_cents")
    ]


# the product rollups' rebuilds as of this revision (later revisions add columns, which
# the rebuild files of the head schema fill; they do not exist yet here)
_PRODUCT_REBUILDS = {
    "product_sales_yearly": """
-- Per calendar year and product, summed from the monthly rows just built
-- (month_index = year * 12 + month - 1, so the year is its integer quotient by 12).
insert into product_sales_yearly (
    year_index,
    product_id,
    order_count,
    units,
    revenue_cents
)
select
    {div(month_index, 12)},
    product_id,
    sum(order_count),
    sum(units),
    sum(revenue_cents)
from product_sales_monthly
group by
    {div(month_index, 12)},
    product_id
""",
    "product_sales_total": """
-- Per product over the days "all time" covers, summed from the daily rows just built:
-- the queries' EARLIEST to LATEST as day indexes (shopdb.rollups.spans.ALL_TIME, which
-- a test holds equal to these two numbers).
insert into product_sales_total (
    product_id,
    order_count,
    units,
    revenue_cents
)
select
    product_id,
    sum(order_count),
    sum(units),
    sum(revenue_cents)
from product_sales_daily
where day_index >= 0
    and day_index < 2932896
group by product_id
""",
}


def upgrade() -> None:
    op.create_table(
        "product_sales_yearly",
        sa.Column("year_index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("product_id", _ID, autoincrement=False, nullable=False),
        *[
            sa.Column(name, _ID, nullable=False)
            for name in ("order_count", "units", "revenue_cents")
        ],
        sa.PrimaryKeyConstraint("year_index", "product_id", name=op.f("pk_product_sales_yearly")),
        **_MYSQL,
    )
    op.create_table(
        "product_sales_total",
        sa.Column("product_id", _ID, autoincrement=False, nullable=False),
        *[
            sa.Column(name, _ID, nullable=False)
            for name in ("order_count", "units", "revenue_cents")
        ],
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_product_sales_total")),
        **_MYSQL,
    )
    from shopdb.db.backend import backend_name
    from shopdb.queries import fragments

    # the monthly rollup is exact as of now (with its unfolded deltas, which the years'
    # readers add as well), so the years are its sums
    bind = op.get_bind()
    for name in ("product_sales_yearly", "product_sales_total"):
        bind.execute(sa.text(fragments.expand(_PRODUCT_REBUILDS[name], backend_name(bind))))


def downgrade() -> None:
    op.drop_table("product_sales_total")
    op.drop_table("product_sales_yearly")
