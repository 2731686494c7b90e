"""The per-country rollups country_sales_daily (recognized orders and revenue per day and
shipping country) and customer_country_days (customer-country-days linked to the
previous one, and a terminal row per customer and country), and customer_first_two_days
(customers by the days of their first two recognized orders), filled from the data
present. All three are folded from rollup_deltas' order rows: no change log of their own.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_MYSQL: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}


def upgrade() -> None:
    op.create_table(
        "country_sales_daily",
        sa.Column("day_index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("order_count", _ID, nullable=False),
        sa.Column("revenue_cents", _ID, nullable=False),
        sa.PrimaryKeyConstraint("day_index", "country_code", name=op.f("pk_country_sales_daily")),
        sqlite_with_rowid=False,
        **_MYSQL,
    )
    op.create_table(
        "customer_country_days",
        sa.Column("day_index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("prev_day_index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("customer_count", _ID, nullable=False),
        sa.CheckConstraint(
            "prev_day_index < day_index",
            name=op.f("ck_customer_country_days_prev_day_before_day"),
        ),
        sa.PrimaryKeyConstraint(
            "day_index",
            "prev_day_index",
            "country_code",
            name=op.f("pk_customer_country_days"),
        ),
        sqlite_with_rowid=False,
        **_MYSQL,
    )
    op.create_table(
        "customer_first_two_days",
        sa.Column("second_day_index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("first_day_index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("customer_count", _ID, nullable=False),
        sa.CheckConstraint(
            "first_day_index <= second_day_index",
            name=op.f("ck_customer_first_two_days_first_day_not_after_second"),
        ),
        sa.PrimaryKeyConstraint(
            "second_day_index", "first_day_index", name=op.f("pk_customer_first_two_days")
        ),
        sqlite_with_rowid=False,
        **_MYSQL,
    )
    from shopdb.db.backend import backend_name
    from shopdb.queries.sqlfiles import load_sql
    from shopdb.rollups import countries

    bind = op.get_bind()
    for name in ("country_sales_daily", "customer_country_days", "customer_first_two_days"):
        sql = load_sql("shopdb.rollups", f"rebuild_{name}", backend_name(bind))
        bind.execute(sa.text(sql))
    # the order rows still in rollup_deltas are counted above already: fold them out
    made = frozenset({"country_sales_daily", "customer_country_days", "customer_first_two_days"})
    countries.discount_pending(bind, made)


def downgrade() -> None:
    op.drop_table("customer_first_two_days")
    op.drop_table("customer_country_days")
    op.drop_table("country_sales_daily")
