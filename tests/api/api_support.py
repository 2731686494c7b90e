"""Helpers for the API tests: a tiny shop, keys for every role, a client, stored rows."""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.sql.schema import Table

from shopdb.access import ROLES
from shopdb.audit import run_checks
from shopdb.db.rollup_schema import rollup_deltas
from shopdb.db.schema import DATA_TABLES, idempotency_keys, inventory
from shopdb.services import create_category, create_product, register_user
from shopdb.services.api_keys import create_api_key

with warnings.catch_warnings():
    # Starlette asks for httpx2, which the lock file does not have; httpx works the same
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
SECRET = b"test-secret-test-secret-test-sec"
__all__ = ["T0", "Shop", "TestClient", "count_rows", "create_shop", "snapshot", "stock_of"]


@dataclass
class Shop:
    """The engine, the ids every test starts with and a key per role."""

    engine: Engine
    category: int
    user: int
    other_user: int
    lamp: int  # 5 on hand, 1000 cents
    mug: int  # 2 on hand, 250 cents
    keys: dict[str, str] = field(default_factory=dict)

    def auth(self, role: str | None = "admin") -> dict[str, str]:
        """The Authorization header of ``role``'s key (none for None)."""
        return {} if role is None else {"Authorization": f"Bearer {self.keys[role]}"}


def create_shop(engine: Engine) -> Shop:
    """One category, two users, two products, one API key per role."""
    category = create_category(engine, "Home")
    user = register_user(engine, "ann.lee@example.com", "Ann", "Lee", country_code="FR", now=T0)
    other = register_user(engine, "bob@example.com", "Bob", "Ray", now=T0)
    lamp = create_product(
        engine,
        category_id=category,
        sku="LAMP-1",
        name="Lamp",
        price_cents=1000,
        quantity=5,
        now=T0,
    )
    mug = create_product(
        engine, category_id=category, sku="MUG-1", name="Mug", price_cents=250, quantity=2, now=T0
    )
    shop = Shop(engine, category, user, other, lamp, mug)
    for role in ROLES:
        shop.keys[role] = create_api_key(engine, role, f"{role} key")[1]
    return shop


def stock_of(engine: Engine, product_id: int) -> int:
    """Units on hand, as stored."""
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(inventory.c.quantity_on_hand).where(inventory.c.product_id == product_id)
            ).scalar_one()
        )


def count_rows(engine: Engine, table: Table, *where: Any) -> int:
    """How many rows ``table`` holds (matching ``where``)."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def pending_deltas_after(engine: Engine, seconds: float) -> int:
    """The rows ``rollup_deltas`` still holds once it is empty or ``seconds`` have passed
    (a server's background fold empties it)."""
    deadline = time.monotonic() + seconds
    while (pending := count_rows(engine, rollup_deltas)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return pending


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every data table and of idempotency_keys: equal means nothing written."""
    with engine.connect() as conn:
        return {
            table.name: sorted(tuple(map(repr, row)) for row in conn.execute(select(table)))
            for table in (*DATA_TABLES, idempotency_keys)
        }


def assert_audit_clean(engine: Engine) -> None:
    """Every check of ``shopdb check`` passes on the stored data."""
    failed = {r.name: r.sample for r in run_checks(engine) if not r.passed}
    assert failed == {}
