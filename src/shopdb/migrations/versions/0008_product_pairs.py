"""The product_pairs rollup (frequently_bought_together over all history) and its change
log, filled from the data present.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from shopdb.db.types import UtcDateTime

revision = "0008"
down_revision = "0007"
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
        "product_pair_deltas",
        sa.Column("delta_id", _ID, nullable=False),
        sa.Column("product_a_id", _ID, nullable=False),
        sa.Column("product_b_id", _ID, nullable=False),
        sa.Column("pair_orders", _ID, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("delta_id", name=op.f("pk_product_pair_deltas")),
        **_MYSQL,
    )
    op.create_table(
        "product_pairs",
        sa.Column("product_a_id", _ID, autoincrement=False, nullable=False),
        sa.Column("product_b_id", _ID, autoincrement=False, nullable=False),
        sa.Column("pair_orders", _ID, nullable=False),
        sa.CheckConstraint(
            "product_a_id < product_b_id", name=op.f("ck_product_pairs_lower_product_first")
        ),
        sa.PrimaryKeyConstraint("product_a_id", "product_b_id", name=op.f("pk_product_pairs")),
        **_MYSQL,
    )
    op.create_index(
        op.f("ix_product_pairs_pair_orders_product_a_id"),
        "product_pairs",
        [sa.text("pair_orders DESC"), "product_a_id", "product_b_id"],
        unique=False,
    )
    from shopdb.db.backend import backend_name
    from shopdb.queries.sqlfiles import load_sql

    bind = op.get_bind()
    bind.execute(sa.text(load_sql("shopdb.rollups", "rebuild_product_pairs", backend_name(bind))))


def downgrade() -> None:
    op.drop_table("product_pairs")
    op.drop_table("product_pair_deltas")
