"""A short description of the shop in a database: what ``shopdb demo`` prints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.engine import Engine

from shopdb.db.schema import DATA_TABLES, orders, payments
from shopdb.db.snapshot import read_snapshot
from shopdb.lifecycle import PAYMENT_REFUNDED, RECOGNIZED_STATUSES


@dataclass
class ShopSummary:
    """Row counts and headline figures of a shop."""

    rows: dict[str, int]
    first_order_at: datetime | None
    last_order_at: datetime | None
    revenue_cents: int
    orders_by_status: dict[str, int]
    buying_customers: int
    refunded_cents: int

    @property
    def average_order_cents(self) -> int:
        """Average recognized order value, in cents."""
        recognized = sum(self.orders_by_status.get(s, 0) for s in RECOGNIZED_STATUSES)
        return self.revenue_cents // recognized if recognized else 0


def shop_summary(engine: Engine) -> ShopSummary:
    """Count every table and compute revenue, order statuses and customers (one snapshot)."""
    with read_snapshot(engine) as conn:
        rows = {
            t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in DATA_TABLES
        }
        first, last = conn.execute(
            select(func.min(orders.c.created_at), func.max(orders.c.created_at))
        ).one()
        revenue = conn.execute(
            select(func.coalesce(func.sum(orders.c.total_cents), 0)).where(
                orders.c.status.in_(RECOGNIZED_STATUSES)
            )
        ).scalar_one()
        grouped = conn.execute(select(orders.c.status, func.count()).group_by(orders.c.status))
        by_status = {str(status): int(n) for status, n in grouped}
        buyers = conn.execute(select(func.count(distinct(orders.c.user_id)))).scalar_one()
        refunded = conn.execute(
            select(func.coalesce(func.sum(payments.c.amount_cents), 0)).where(
                payments.c.status == PAYMENT_REFUNDED
            )
        ).scalar_one()
    return ShopSummary(
        rows=rows,
        first_order_at=first,
        last_order_at=last,
        revenue_cents=int(revenue),
        orders_by_status=by_status,
        buying_customers=int(buyers),
        refunded_cents=int(refunded),
    )
