"""The lake's change log: ``lake_deltas`` (one row per partition a write transaction
touched) and ``lake_versions`` (the folded counts, and the log's epoch).

Both start empty: the first export after the upgrade has no epoch to compare with, so it
compares fingerprints once, then draws an epoch and uses the log from then on.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
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
        "lake_deltas",
        sa.Column("delta_id", _ID, nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("month_index", sa.Integer(), nullable=False),
        sa.Column("change_count", _ID, nullable=False),
        sa.PrimaryKeyConstraint("delta_id", name=op.f("pk_lake_deltas")),
        **_MYSQL,
    )
    op.create_table(
        "lake_versions",
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("month_index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("change_count", _ID, nullable=False),
        sa.PrimaryKeyConstraint("table_name", "month_index", name=op.f("pk_lake_versions")),
        **_MYSQL,
    )


def downgrade() -> None:
    op.drop_table("lake_versions")
    op.drop_table("lake_deltas")
