"""The order_funnel_daily rollup (the status funnel and the refund and cancellation
rates per day of placing), payment_method_daily (the payment method mix per day and
method) and their change log order_event_deltas, filled from the data present.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from shopdb.db.types import UtcDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_MYSQL: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}
_FUNNEL = (
    "placed_count",
    "paid_count",
    "shipped_count",
    "delivered_count",
    "cancelled_count",
    "refunded_count",
    "refunded_cents",
)
_PAYMENTS = ("attempt_count", "completed_count", "failed_count", "refunded_count", "captured_cents")
_LOGGED_PAYMENTS = (
    "attempt_count",
    "completed_count",
    "failed_count",
    "payment_refunded_count",
    "captured_cents",
)


def _measures(names: tuple[str, ...]) -> list[sa.Column[Any]]:
    return [sa.Column(name, _ID, nullable=False) for name in names]


def upgrade() -> None:
    op.create_table(
        "order_funnel_daily",
        sa.Column("day_index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("month_index", sa.Integer(), nullable=False),
        *_measures(_FUNNEL),
        sa.PrimaryKeyConstraint("day_index", name=op.f("pk_order_funnel_daily")),
        **_MYSQL,
    )
    op.create_table(
        "payment_method_daily",
        sa.Column("day_index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        *_measures(_PAYMENTS),
        sa.PrimaryKeyConstraint("day_index", "method", name=op.f("pk_payment_method_daily")),
        **_MYSQL,
    )
    op.create_table(
        "order_event_deltas",
        sa.Column("delta_id", _ID, nullable=False),
        sa.Column("day_index", sa.Integer(), nullable=False),
        sa.Column("month_index", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=True),
        *_measures(_FUNNEL),
        *_measures(_LOGGED_PAYMENTS),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("delta_id", name=op.f("pk_order_event_deltas")),
        **_MYSQL,
    )
    from shopdb.db.backend import backend_name
    from shopdb.queries.sqlfiles import load_sql

    bind = op.get_bind()
    for name in ("order_funnel_daily", "payment_method_daily"):
        bind.execute(sa.text(load_sql("shopdb.rollups", f"rebuild_{name}", backend_name(bind))))


def downgrade() -> None:
    op.drop_table("order_event_deltas")
    op.drop_table("payment_method_daily")
    op.drop_table("order_funnel_daily")
