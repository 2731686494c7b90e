"""API keys and Idempotency-Keys for the REST API.

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from shopdb.db.clock import utc_now
from shopdb.db.types import UtcDateTime

revision = "0004"
down_revision = "0002"
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
        "api_keys",
        sa.Column("api_key_id", _ID, nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=True),
        sa.Column("key_prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now(), nullable=False),
        sa.Column("revoked_at", UtcDateTime(), nullable=True),
        sa.CheckConstraint("role in ('admin', 'clerk', 'analyst')", name=op.f("ck_api_keys_role")),
        sa.PrimaryKeyConstraint("api_key_id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
        **_MYSQL,
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("api_key_id", _ID, nullable=True),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response_body", sa.Text(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now(), nullable=False),
        sa.CheckConstraint(
            "status_code between 200 and 299",
            name=op.f("ck_idempotency_keys_status_code_success"),
        ),
        # SQLite only, as db/schema.py's _integers_only declares it
        sa.CheckConstraint(
            "typeof(status_code) in ('integer')",
            name=op.f("ck_idempotency_keys_status_code_integer"),
        ).ddl_if(dialect="sqlite"),
        sa.ForeignKeyConstraint(
            ["api_key_id"],
            ["api_keys.api_key_id"],
            name=op.f("fk_idempotency_keys_api_key_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("idempotency_key", name=op.f("pk_idempotency_keys")),
        **_MYSQL,
    )
    op.create_index(
        op.f("ix_idempotency_keys_api_key_id"), "idempotency_keys", ["api_key_id"], unique=False
    )


def downgrade() -> None:
    op.drop_table("idempotency_keys")
    op.drop_table("api_keys")
