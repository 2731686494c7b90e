"""customer_first_day_totals: per day of customers' first recognized orders, how many
customers, their recognized orders, spend and days from first to last order, so
customer_lifetime_value reads a row per day instead of a row per customer. Filled from
customer_sales, less what the order rows not yet folded change: folded from
rollup_deltas' order rows like customer_first_two_days, no change log of its own.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_MYSQL: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}


def upgrade() -> None:
    name = "customer_first_day_totals"
    op.create_table(
        name,
        sa.Column("first_day_index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("month_index", sa.Integer(), nullable=False),
        sa.Column("customer_count", _ID, nullable=False),
        sa.Column("order_count", _ID, nullable=False),
        sa.Column("spend_cents", _ID, nullable=False),
        sa.Column("lifespan_days", _ID, nullable=False),
        sa.PrimaryKeyConstraint("first_day_index", name=op.f(f"pk_{name}")),
        sqlite_with_rowid=False,
        **_MYSQL,
    )
    from shopdb.db.backend import backend_name
    from shopdb.queries.sqlfiles import load_sql
    from shopdb.rollups import countries

    bind = op.get_bind()
    bind.execute(sa.text(load_sql("shopdb.rollups", f"rebuild_{name}", backend_name(bind))))
    # customer_sales counts the order rows still in rollup_deltas already: fold them out
    countries.discount_pending(bind, frozenset({name}))


def downgrade() -> None:
    op.drop_table("customer_first_day_totals")
