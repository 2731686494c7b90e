"""category_sales_daily, _monthly and _yearly: the product rollups summed per product's
category, so revenue by category and category growth read a row per category and bucket
instead of one per product; and ``ix_product_sales_daily_product_id``, the index a
product's move to another category reads its folded days through
(``shopdb.rollups.categories``).

Filled from the folded product rows: the deltas not yet folded stay in ``rollup_deltas``
and are joined to their product's category when read or folded, as for the product
rollups. On MariaDB each statement commits on its own; a failure part-way leaves tables
that ``shopdb rollups rebuild`` fills again.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_MYSQL: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}
_GRAINS = (
    ("category_sales_daily", "day_index"),
    ("category_sales_monthly", "month_index"),
    ("category_sales_yearly", "year_index"),
)


def upgrade() -> None:
    op.create_index("ix_product_sales_daily_product_id", "product_sales_daily", ["product_id"])
    for name, bucket in _GRAINS:
        month = (
            [sa.Column("month_index", sa.Integer(), nullable=False)]
            if bucket == "day_index"
            else []
        )
        op.create_table(
            name,
            sa.Column(bucket, sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("category_id", _ID, autoincrement=False, nullable=False),
            *month,
            *[
                sa.Column(measure, _ID, nullable=False)
                for measure in ("order_count", "units", "revenue_cents")
            ],
            sa.PrimaryKeyConstraint(bucket, "category_id", name=op.f(f"pk_{name}")),
            **_MYSQL,
        )
    from shopdb.db.backend import backend_name, backend_of
    from shopdb.queries.sqlfiles import load_sql

    bind = op.get_bind()
    for name, _bucket in _GRAINS:
        bind.execute(sa.text(load_sql("shopdb.rollups", f"rebuild_{name}", backend_name(bind))))
    if backend_of(bind).analyze_after_load:
        # the planner would see the new tables as empty until autovacuum runs
        for name, _bucket in _GRAINS:
            bind.exec_driver_sql(f"ANALYZE {name}")


def downgrade() -> None:
    for name, _bucket in reversed(_GRAINS):
        op.drop_table(name)
    op.drop_index("ix_product_sales_daily_product_id", table_name="product_sales_daily")
