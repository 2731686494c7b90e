"""The customer_days rollup (distinct and returning customers of any range of days, for
the dashboard's headline figures) and its change log, filled from the data present; the
refunds-by-date index covers the amount.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from shopdb.db.types import UtcDateTime

revision = "0007"
down_revision = "0006"
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
        "customer_day_deltas",
        sa.Column("delta_id", _ID, nullable=False),
        sa.Column("day_index", sa.Integer(), nullable=False),
        sa.Column("prev_day_index", sa.Integer(), nullable=False),
        sa.Column("customer_count", _ID, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("delta_id", name=op.f("pk_customer_day_deltas")),
        **_MYSQL,
    )
    op.create_table(
        "customer_days",
        sa.Column("day_index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("prev_day_index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("customer_count", _ID, nullable=False),
        sa.CheckConstraint(
            "prev_day_index < day_index", name=op.f("ck_customer_days_prev_day_before_day")
        ),
        sa.PrimaryKeyConstraint("day_index", "prev_day_index", name=op.f("pk_customer_days")),
        sqlite_with_rowid=False,
        **_MYSQL,
    )
    op.create_index(
        op.f("ix_payments_status_refunded_at_amount_cents"),
        "payments",
        ["status", "refunded_at", "amount_cents"],
        unique=False,
    )
    op.drop_index(op.f("ix_payments_status_refunded_at"), table_name="payments")
    from shopdb.db.backend import backend_name
    from shopdb.queries.sqlfiles import load_sql

    bind = op.get_bind()
    bind.execute(sa.text(load_sql("shopdb.rollups", "rebuild_customer_days", backend_name(bind))))


def downgrade() -> None:
    op.create_index(
        op.f("ix_payments_status_refunded_at"), "payments", ["status", "refunded_at"], unique=False
    )
    op.drop_index(op.f("ix_payments_status_refunded_at_amount_cents"), table_name="payments")
    op.drop_table("customer_days")
    op.drop_table("customer_day_deltas")
