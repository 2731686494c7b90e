"""Staff accounts and action keys for the dashboard (``shopdb staff``, ``shopdb serve``),
and an index for the refunds of a date range.

Revision ID: 0005
Revises: 0002t
Create Date: 2026-12-01
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from shopdb.db.clock import utc_now
from shopdb.db.types import UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_MYSQL: dict[str, Any] = {
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
    "mysql_engine": "InnoDB",
}


def upgrade() -> None:
    op.create_table(
        "staff_accounts",
        sa.Column("staff_id", _ID, nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now(), nullable=False),
        sa.Column("disabled_at", UtcDateTime(), nullable=True),
        sa.CheckConstraint("email like '%_@_%'", name=op.f("ck_staff_accounts_email_format")),
        sa.CheckConstraint(
            "role in ('admin', 'clerk', 'analyst')", name=op.f("ck_staff_accounts_role")
        ),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_staff_accounts")),
        sa.UniqueConstraint("email", name=op.f("uq_staff_accounts_email")),
        **_MYSQL,
    )
    op.create_table(
        "staff_action_keys",
        sa.Column("action_key", sa.String(length=64), nullable=False),
        sa.Column("staff_id", _ID, nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now(), nullable=False),
        sa.CheckConstraint(
            "action_key <> ''", name=op.f("ck_staff_action_keys_action_key_not_empty")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_accounts.staff_id"],
            name=op.f("fk_staff_action_keys_staff_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("action_key", name=op.f("pk_staff_action_keys")),
        **_MYSQL,
    )
    op.create_index(
        op.f("ix_staff_action_keys_staff_id"), "staff_action_keys", ["staff_id"], unique=False
    )

    op.create_index(
        op.f("ix_payments_status_refunded_at"), "payments", ["status", "refunded_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_payments_status_refunded_at"), table_name="payments")
    op.drop_table("staff_action_keys")
    op.drop_table("staff_accounts")
