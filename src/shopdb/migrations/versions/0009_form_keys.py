"""The dashboard's form keys move into ``idempotency_keys``: one table and one mechanism
for "a write sent twice under one key happens once", owned by an API key or a staff
account (``staff_id``, at most one of the two); ``staff_action_keys`` is dropped.

Its rows are throwaway keys of forms already acted on, so none are carried over: a form
rendered before the upgrade and sent after it acts once, like any new form. SQLite
cannot add a constraint to a table, so there Alembic's batch mode rebuilds
``idempotency_keys`` (copying its rows) in the upgrade's transaction.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from shopdb.db.clock import utc_now
from shopdb.db.types import UtcDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_MYSQL: dict[str, Any] = {
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
    "mysql_engine": "InnoDB",
}


def upgrade() -> None:
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.add_column(sa.Column("staff_id", _ID, nullable=True))
        batch.create_foreign_key(
            op.f("fk_idempotency_keys_staff_id"),
            "staff_accounts",
            ["staff_id"],
            ["staff_id"],
            ondelete="CASCADE",
        )
        batch.create_check_constraint(
            op.f("ck_idempotency_keys_one_owner"), "api_key_id is null or staff_id is null"
        )
        batch.create_index(op.f("ix_idempotency_keys_staff_id"), ["staff_id"], unique=False)
    op.drop_table("staff_action_keys")


def downgrade() -> None:
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
    # the dashboard's keys have no home before this revision
    op.execute(sa.text("delete from idempotency_keys where staff_id is not null"))
    with op.batch_alter_table("idempotency_keys") as batch:
        # MariaDB keeps an index while a foreign key needs it: the key goes first
        batch.drop_constraint(op.f("fk_idempotency_keys_staff_id"), type_="foreignkey")
        batch.drop_constraint(op.f("ck_idempotency_keys_one_owner"), type_="check")
        batch.drop_index(op.f("ix_idempotency_keys_staff_id"))
        batch.drop_column("staff_id")
