"""The product rollups keep the units of refunded orders (``refunded_units``), which
``low_inventory`` counts as sold, so its rollup form no longer reads a range's refunded
orders and their items; ``rollup_deltas`` carries the column for the refunds to come.

The units of the orders already refunded are added from the base tables: the rollup
rows as they are (folded) plus the deltas not yet folded stay equal to the base tables,
since the refunds' own deltas (their units leaving) carry no refunded units and the
new column counts every refund committed so far.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_TABLES = (
    "rollup_deltas",
    "product_sales_daily",
    "product_sales_monthly",
    "product_sales_yearly",
    "product_sales_total",
)
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

_REFUNDED_ITEMS = """
select
    {day_index(o.created_at)} as day_index,
    {month_index(o.created_at)} as month_index,
    oi.product_id,
    sum(oi.quantity) as units
from orders as o
inner join order_items as oi on oi.order_id = o.order_id
where o.status = 'refunded'
group by
    {day_index(o.created_at)},
    {month_index(o.created_at)},
    oi.product_id
"""


def upgrade() -> None:
    for table in _TABLES:
        op.add_column(
            table,
            sa.Column("refunded_units", _ID, server_default=sa.text("0"), nullable=False),
        )
    from shopdb.db.backend import backend_name
    from shopdb.db.rollup_schema import (
        PRODUCT_MEASURES,
        product_sales_daily,
        product_sales_monthly,
        product_sales_total,
        product_sales_yearly,
    )
    from shopdb.queries import fragments
    from shopdb.rollups.spans import total_rows, yearly_rows
    from shopdb.rollups.upsert import add_rows

    bind = op.get_bind()
    sql = fragments.expand(_REFUNDED_ITEMS, backend_name(bind))
    zero = [0] * (len(PRODUCT_MEASURES) - 1)
    days: dict[tuple[int, int], list[int]] = {}
    months: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * len(PRODUCT_MEASURES))
    for day, month, product, units in bind.execute(sa.text(sql)):
        days[(day, product)] = [month, *zero, units]
        months[(month, product)][-1] += units
    measures = dict.fromkeys(PRODUCT_MEASURES, 0)
    add_rows(
        bind,
        product_sales_daily,
        [
            {
                "day_index": d,
                "product_id": p,
                "month_index": v[0],
                **measures,
                "refunded_units": v[-1],
            }
            for (d, p), v in sorted(days.items())
        ],
    )
    add_rows(
        bind,
        product_sales_monthly,
        [
            {"month_index": m, "product_id": p, **measures, "refunded_units": v[-1]}
            for (m, p), v in sorted(months.items())
        ],
    )
    add_rows(bind, product_sales_yearly, yearly_rows(months))
    add_rows(bind, product_sales_total, total_rows(days))


def downgrade() -> None:
    for table in reversed(_TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("refunded_units")
