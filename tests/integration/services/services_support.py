"""Helpers for the service tests: the tiny shop, and reading stored rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.sql.schema import Table

from shopdb.audit import run_checks
from shopdb.db.schema import DATA_TABLES, inventory
from shopdb.services import create_category, create_product, register_user

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Shop:
    """The engine and the ids of the rows every test starts with."""

    engine: Engine
    user: int
    other_user: int
    lamp: int  # 5 on hand, 1000 cents
    mug: int  # 2 on hand, 250 cents


def create_shop(engine: Engine) -> Shop:
    """One category, two users, two products."""
    category = create_category(engine, "Home")
    user = register_user(engine, "ann@example.com", "Ann", "Lee", country_code="FR", now=T0)
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
    return Shop(engine, user, other, lamp, mug)


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


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every data row of every table, sorted: equal snapshots mean nothing was written."""
    with engine.connect() as conn:
        return {
            table.name: sorted(tuple(row) for row in conn.execute(select(table)))
            for table in DATA_TABLES
        }


def assert_audit_clean(engine: Engine) -> None:
    """Every check of ``shopdb check`` passes on the stored data."""
    failed = {r.name: r.sample for r in run_checks(engine) if not r.passed}
    assert failed == {}
