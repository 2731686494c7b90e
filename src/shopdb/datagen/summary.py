"""What ``shopdb demo`` says it built: rows per table, the orders' period and statuses.

Revenue, order value and customers are not computed here: the demo prints them from the
report's headline, which takes them from the query catalogue, so each figure has one
definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from shopdb.db.schema import DATA_TABLES, orders
from shopdb.db.snapshot import read_snapshot


@dataclass(frozen=True)
class ShopSummary:
    """Row counts of a shop, when its orders were placed, and their current statuses."""

    rows: dict[str, int]
    first_order_at: datetime | None
    last_order_at: datetime | None
    orders_by_status: dict[str, int]


def shop_summary(engine: Engine) -> ShopSummary:
    """Count every table, the orders' first and last times and their statuses (one snapshot)."""
    with read_snapshot(engine) as conn:
        rows = {
            t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in DATA_TABLES
        }
        first, last = conn.execute(
            select(func.min(orders.c.created_at), func.max(orders.c.created_at))
        ).one()
        grouped = conn.execute(select(orders.c.status, func.count()).group_by(orders.c.status))
        by_status = {str(status): int(n) for status, n in grouped}
    return ShopSummary(
        rows=rows, first_order_at=first, last_order_at=last, orders_by_status=by_status
    )
