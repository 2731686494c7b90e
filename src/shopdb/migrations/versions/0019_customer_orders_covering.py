"""A customer's orders in time order with their status and total in the index itself:
``ix_orders_user_id_created_at`` becomes ``(user_id, created_at, status, total_cents)``,
so the per-customer sums that top customers, lifetime value and order history compute
(count, sum of totals, latest order of recognized orders in a range) read the index
alone, with no lookup of each order's row.

The new index is made before the old one is dropped: MariaDB needs an index led by
``user_id`` for ``fk_orders_user_id_users`` at every moment. On MariaDB each statement
commits on its own; a failure between them leaves both indexes, which the next upgrade
completes.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

_OLD = "ix_orders_user_id_created_at"
_NEW = "ix_orders_user_id_created_at_status_total_cents"


def upgrade() -> None:
    op.create_index(_NEW, "orders", ["user_id", "created_at", "status", "total_cents"])
    op.drop_index(_OLD, table_name="orders")


def downgrade() -> None:
    op.create_index(_OLD, "orders", ["user_id", "created_at"])
    op.drop_index(_NEW, table_name="orders")
