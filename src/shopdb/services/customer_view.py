"""Reading one customer for the back office: who they are and what they are worth.

Lifetime value counts recognized orders only (``lifecycle.RECOGNIZED_STATUSES``), as the
analytics queries do. Read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection, Engine

from shopdb.db.schema import orders, users
from shopdb.errors import NotFound
from shopdb.lifecycle import RECOGNIZED_STATUSES
from shopdb.services._tx import run_in_transaction


@dataclass(frozen=True)
class Customer:
    """A customer and their recognized orders' totals."""

    user_id: int
    email: str
    first_name: str
    last_name: str
    country_code: str | None
    city: str | None
    created_at: datetime
    order_count: int
    recognized_order_count: int
    lifetime_value_cents: int
    first_order_at: datetime | None
    last_order_at: datetime | None


def get_customer(engine: Engine, user_id: int) -> Customer:
    """One customer with their order count and lifetime value.

    Raises:
        NotFound: no such customer.
    """
    recognized = orders.c.status.in_(RECOGNIZED_STATUSES)
    totals = select(
        func.count(),
        func.coalesce(func.sum(case((recognized, 1), else_=0)), 0),
        func.coalesce(func.sum(case((recognized, orders.c.total_cents), else_=0)), 0),
        func.min(orders.c.created_at),
        func.max(orders.c.created_at),
    ).where(orders.c.user_id == user_id)
    person = select(
        users.c.user_id,
        users.c.email,
        users.c.first_name,
        users.c.last_name,
        users.c.country_code,
        users.c.city,
        users.c.created_at,
    ).where(users.c.user_id == user_id)

    def body(conn: Connection) -> Customer:
        row = conn.execute(person).first()
        if row is None:
            raise NotFound(f"customer {user_id} does not exist")
        count, recognized_count, value, first, last = conn.execute(totals).one()
        # min and max keep the column's type, so these come back as aware UTC
        return Customer(*row, int(count), int(recognized_count), int(value), first, last)

    return run_in_transaction(engine, body, write=False)


def find_customer(engine: Engine, email: str) -> int | None:
    """The id of the customer with this email (case-insensitive), or None."""
    stmt = select(users.c.user_id).where(users.c.email == email.strip().lower())
    found = run_in_transaction(engine, lambda conn: conn.execute(stmt).scalar(), write=False)
    return None if found is None else int(found)
