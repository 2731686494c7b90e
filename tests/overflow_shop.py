"""A hostile but allowed shop whose sums pass 2**63 - 1: 93 orders of one customer, each
at the largest total the schema allows.

Shared by the query tests (tests/integration/queries), the API's (tests/api) and the
dashboard's (tests/web): MariaDB and PostgreSQL add these up exactly; SQLite's ``sum()``
refuses, which shopdb reports as ``NumberOverflow``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from shopdb.db.schema import orders, users
from shopdb.limits import INT64_MAX, MAX_TOTAL_CENTS

ORDER_COUNT = 93  # 92 x 1e17 still fits below 2**63 - 1; 93 do not
assert (ORDER_COUNT - 1) * MAX_TOTAL_CENTS <= INT64_MAX < ORDER_COUNT * MAX_TOTAL_CENTS
FIRST_DAY = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
"""The day before the first order; order n is placed n days later, all delivered."""


def insert_overflowing_orders(engine: Engine, customers: int = 1) -> None:
    """Store ``customers`` customers (users 1, 2, ...) and ``ORDER_COUNT`` orders of
    ``MAX_TOTAL_CENTS``, dealt out in turn.

    With one customer its lifetime spend overflows too; with two or more only sums
    across customers do, so the rollups can be rebuilt (``rollups.build.rebuild_all``).
    """
    with engine.begin() as conn:
        conn.execute(
            insert(users),
            [
                {
                    "user_id": u,
                    "email": f"rich{u}@example.com",
                    "first_name": "R",
                    "last_name": "Ich",
                    "created_at": datetime(2024, 1, 1, tzinfo=UTC),
                }
                for u in range(1, customers + 1)
            ],
        )
        conn.execute(
            insert(orders),
            [
                {
                    "order_id": n,
                    "user_id": 1 + n % customers,
                    "status": "delivered",
                    "created_at": FIRST_DAY + timedelta(days=n),
                    "total_cents": MAX_TOTAL_CENTS,
                }
                for n in range(1, ORDER_COUNT + 1)
            ],
        )
