"""Product pairs change with the orders' own rows: ``rollup_deltas.order_id``.

A payment, cancellation or refund no longer appends a row per pair of the order's items
to ``product_pair_deltas``: the order's own row in ``rollup_deltas`` names the order, and
the fold, the readers and the audit take its pairs from ``order_items`` (which never
change once placed). The pair deltas awaiting a fold are folded into ``product_pairs``
here (added to its rows, new pairs inserted), then the table is dropped. The downgrade
puts back the pairs of the orders named by unfolded rows as pair deltas, then drops the
column. Each runs in the migration's transaction.

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

# the pending pair deltas added to the pairs they change, then the pairs they start
_FOLD_EXISTING = """
update product_pairs
set pair_orders = pair_orders + (
    select sum(d.pair_orders)
    from product_pair_deltas as d
    where d.product_a_id = product_pairs.product_a_id
        and d.product_b_id = product_pairs.product_b_id
)
where exists (
    select 1
    from product_pair_deltas as d
    where d.product_a_id = product_pairs.product_a_id
        and d.product_b_id = product_pairs.product_b_id
)
"""
_FOLD_NEW = """
insert into product_pairs (product_a_id, product_b_id, pair_orders)
select
    d.product_a_id,
    d.product_b_id,
    sum(d.pair_orders)
from product_pair_deltas as d
where not exists (
    select 1
    from product_pairs as p
    where p.product_a_id = d.product_a_id
        and p.product_b_id = d.product_b_id
)
group by
    d.product_a_id,
    d.product_b_id
having sum(d.pair_orders) <> 0
"""
_UNFOLD = """
insert into product_pair_deltas (product_a_id, product_b_id, pair_orders, created_at)
select
    a.product_id,
    b.product_id,
    d.order_count,
    d.created_at
from rollup_deltas as d
inner join order_items as a on a.order_id = d.order_id
inner join order_items as b
    on b.order_id = d.order_id
    and b.product_id > a.product_id
where d.order_id is not null
    and d.order_count <> 0
"""


def upgrade() -> None:
    with op.batch_alter_table("rollup_deltas") as batch:
        batch.add_column(sa.Column("order_id", _ID, nullable=True))
    op.execute(_FOLD_EXISTING)
    op.execute(_FOLD_NEW)
    op.drop_table("product_pair_deltas")


def downgrade() -> None:
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
    op.execute(_UNFOLD)
    with op.batch_alter_table("rollup_deltas") as batch:
        batch.drop_column("order_id")
