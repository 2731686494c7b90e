"""sales_daily counts the revenue of customers' first recognized orders per day
(``new_revenue_cents``) beside how many there were, so new_vs_returning_revenue reads it
instead of numbering every order of history; rollup_deltas carries the column for the
changes to come.

Filled from the base tables: the folded rows plus the deltas not yet folded stay equal
to them, since the deltas written so far carry no new revenue and the new column counts
every first order committed so far.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_TABLES = ("rollup_deltas", "sales_daily")
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# customers' first recognized orders (time order, ties by id) per day of placing
_FIRST_ORDERS = """
select
    {day_index(n.created_at)} as day_index,
    {month_index(n.created_at)} as month_index,
    sum(n.total_cents) as new_revenue_cents
from (
    select
        o.created_at,
        o.total_cents,
        row_number() over (
            partition by o.user_id
            order by o.created_at, o.order_id
        ) as order_number
    from orders as o
    where {recognized(o.status)}
) as n
where n.order_number = 1
group by
    {day_index(n.created_at)},
    {month_index(n.created_at)}
"""


def upgrade() -> None:
    for table in _TABLES:
        op.add_column(
            table,
            sa.Column("new_revenue_cents", _ID, server_default=sa.text("0"), nullable=False),
        )
    from shopdb.db.backend import backend_name
    from shopdb.db.rollup_schema import sales_daily
    from shopdb.queries import fragments
    from shopdb.rollups.upsert import add_rows

    bind = op.get_bind()
    sql = fragments.expand(_FIRST_ORDERS, backend_name(bind))
    zero = {"order_count": 0, "revenue_cents": 0, "units": 0, "new_customer_count": 0}
    rows = [
        {"day_index": day, "month_index": month, **zero, "new_revenue_cents": cents}
        for day, month, cents in bind.execute(sa.text(sql))
    ]
    add_rows(bind, sales_daily, sorted(rows, key=lambda row: row["day_index"]))


def downgrade() -> None:
    for table in reversed(_TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("new_revenue_cents")
