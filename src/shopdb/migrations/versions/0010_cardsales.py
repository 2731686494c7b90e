"""The order_funnel_daily rollup (the status funnel and the refund and cancellation
rates per day of placing) and its change log, filled from the data present.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from shopdb.db.types import UtcDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_MYSQL: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}
_MEASURES = (
    "placed_count",
    "paid_count",
    "shipped_count",
    "delivered_count",
    "cancelled_count",
    "refunded_count",
    "refunded_cents",
)


def upgrade() -> None:
    op.create_table(
        "order_funnel_daily",
        sa.Column("day_index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("month_index", sa.Integer(), nullable=False),
        *(sa.Column(name, _ID, nullable=False) for name in _MEASURES),
        sa.PrimaryKeyConstraint("day_index", name=op.f("pk_order_funnel_daily")),
        **_MYSQL,
    )
    op.create_table(
        "order_funnel_deltas",
        sa.Column("delta_id", _ID, nullable=False),
        sa.Column("day_index", sa.Integer(), nullable=False),
        sa.Column("month_index", sa.Integer(), nullable=False),
        *(sa.Column(name, _ID, nullable=False) for name in _MEASURES),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("delta_id", name=op.f("pk_order_funnel_deltas")),
        **_MYSQL,
    )
    from shopdb.db.backend import backend_name
    from shopdb.queries.sqlfiles import load_sql

    bind = op.get_bind()
    rebuild = load_sql("shopdb.rollups", "rebuild_order_funnel_daily", backend_name(bind))
    bind.execute(sa.text(rebuild))


def downgrade() -> None:
    op.drop_table("order_funnel_deltas")
    op.drop_table("order_funnel_daily")
