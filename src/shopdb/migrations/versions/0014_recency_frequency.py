"""The customer_recency_frequency rollup (RFM's groups of customers: by the day their
recency counts from and their recognized order count, with their spend) and its change
log customer_rf_deltas, filled from the data present.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from shopdb.db.types import UtcDateTime

revision = "0014"
down_revision = "0013"
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
        "customer_rf_deltas",
        sa.Column("delta_id", _ID, nullable=False),
        sa.Column("recency_from_day", sa.Integer(), nullable=False),
        sa.Column("order_count", _ID, nullable=False),
        sa.Column("customer_count", _ID, nullable=False),
        sa.Column("spend_cents", _ID, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("delta_id", name=op.f("pk_customer_rf_deltas")),
        **_MYSQL,
    )
    op.create_table(
        "customer_recency_frequency",
        sa.Column("recency_from_day", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("order_count", _ID, autoincrement=False, nullable=False),
        sa.Column("customer_count", _ID, nullable=False),
        sa.Column("spend_cents", _ID, nullable=False),
        sa.CheckConstraint(
            "order_count > 0",
            name=op.f("ck_customer_recency_frequency_order_count_positive"),
        ),
        sa.PrimaryKeyConstraint(
            "recency_from_day", "order_count", name=op.f("pk_customer_recency_frequency")
        ),
        sqlite_with_rowid=False,
        **_MYSQL,
    )
    from shopdb.db.backend import backend_name
    from shopdb.queries.sqlfiles import load_sql

    bind = op.get_bind()
    sql = load_sql("shopdb.rollups", "rebuild_customer_recency_frequency", backend_name(bind))
    bind.execute(sa.text(sql))


def downgrade() -> None:
    op.drop_table("customer_recency_frequency")
    op.drop_table("customer_rf_deltas")
