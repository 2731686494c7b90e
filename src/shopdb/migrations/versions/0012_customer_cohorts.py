"""The customer_cohorts rollup (cohort retention over any range of whole days, for the
customers page's heat map) and its change log, filled from the data present.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from shopdb.db.types import UtcDateTime

revision = "0012"
down_revision = "0011"
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
        "customer_cohort_deltas",
        sa.Column("delta_id", _ID, nullable=False),
        sa.Column("first_day_index", sa.Integer(), nullable=False),
        sa.Column("month_index", sa.Integer(), nullable=False),
        sa.Column("cohort_index", sa.Integer(), nullable=False),
        sa.Column("customer_count", _ID, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("delta_id", name=op.f("pk_customer_cohort_deltas")),
        **_MYSQL,
    )
    op.create_table(
        "customer_cohorts",
        sa.Column("first_day_index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("month_index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("cohort_index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("customer_count", _ID, nullable=False),
        sa.CheckConstraint(
            "cohort_index <= month_index",
            name=op.f("ck_customer_cohorts_cohort_not_after_month"),
        ),
        sa.PrimaryKeyConstraint(
            "first_day_index", "month_index", "cohort_index", name=op.f("pk_customer_cohorts")
        ),
        sqlite_with_rowid=False,
        **_MYSQL,
    )
    from shopdb.db.backend import backend_name
    from shopdb.queries.sqlfiles import load_sql

    bind = op.get_bind()
    sql = load_sql("shopdb.rollups", "rebuild_customer_cohorts", backend_name(bind))
    bind.execute(sa.text(sql))


def downgrade() -> None:
    op.drop_table("customer_cohorts")
    op.drop_table("customer_cohort_deltas")
