"""Fill an empty database with a small shop through the services (when not generated)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from shopdb.db.schema import products, users
from shopdb.errors import InvalidInput, SchemaError
from shopdb.rollups.build import rebuild_all
from shopdb.services import create_category, create_product, register_user

SEED_AT = datetime(2026, 1, 1, tzinfo=UTC)
"""Seeded rows are dated here, so every later order is placed after its user signed up."""


def seed_shop(
    engine: Engine, *, users_count: int, products_count: int, stock: int, seed: int
) -> None:
    """Register users and create products (with ``stock`` units each) one service call each.

    Raises:
        SchemaError: the database already holds users or products.
        InvalidInput: a count that is not positive or a negative stock.
    """
    if users_count <= 0 or products_count <= 0 or stock < 0:
        raise InvalidInput("seed needs positive user and product counts and a stock >= 0")
    with engine.connect() as conn:
        existing = conn.execute(select(func.count()).select_from(users)).scalar_one()
        existing += conn.execute(select(func.count()).select_from(products)).scalar_one()
    if existing:
        raise SchemaError("the database already holds users or products: seed an empty shop")
    rng = random.Random(seed)
    category = create_category(engine, "Bench")
    for i in range(1, users_count + 1):
        register_user(
            engine,
            f"user{i}@bench.example.com",
            f"User{i}",
            "Bench",
            country_code=rng.choice(("FR", "DE", "US", "GB", "JP")),
            now=SEED_AT,
        )
    for i in range(1, products_count + 1):
        create_product(
            engine,
            category_id=category,
            sku=f"BENCH-{i:05d}",
            name=f"Item {i}",
            price_cents=rng.randint(199, 19_999),
            quantity=stock,
            now=SEED_AT,
        )
    # one customer_sales row per user up front: a first payment then locks an existing
    # row instead of inserting one (which MariaDB's gap locks would serialize)
    rebuild_all(engine)
