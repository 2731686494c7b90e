"""What the driver buys: product prices and users, read once before a run."""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Engine

from shopdb.db.admin import require_schema
from shopdb.db.schema import inventory, products, users
from shopdb.errors import InvalidInput, SchemaError
from shopdb.services import restock

MAX_USERS = 10_000
"""The driver buys as (at most) this many users, the first by id."""


@dataclass(frozen=True)
class Catalog:
    """The products (with list prices) and users a run draws from."""

    prices: dict[int, int]
    product_ids: tuple[int, ...]
    user_ids: tuple[int, ...]

    def basket(self, rng: random.Random) -> dict[int, int]:
        """One to three distinct products, one or two units each."""
        count = min(len(self.product_ids), rng.choice((1, 1, 2, 3)))
        return {p: rng.choice((1, 1, 2)) for p in rng.sample(self.product_ids, count)}

    def total(self, basket: dict[int, int]) -> int:
        """The basket's total at the prices read before the run."""
        return sum(q * self.prices[p] for p, q in basket.items())


def load_catalog(engine: Engine, hot_products: int | None = None) -> Catalog:
    """Read prices and user ids; with ``hot_products`` K, only the first K products by id.

    Raises:
        SchemaError: the database holds no products or no users (generate or seed first).
        InvalidInput: K is not positive.
    """
    if hot_products is not None and hot_products <= 0:
        raise InvalidInput(f"hot_products must be positive, got {hot_products}")
    with engine.connect() as conn:
        require_schema(conn)
        query = select(products.c.product_id, products.c.price_cents).order_by(
            products.c.product_id
        )
        if hot_products is not None:
            query = query.limit(hot_products)
        prices = {int(p): int(c) for p, c in conn.execute(query)}
        user_ids = tuple(
            int(u)
            for u in conn.execute(
                select(users.c.user_id).order_by(users.c.user_id).limit(MAX_USERS)
            ).scalars()
        )
    if not prices or not user_ids:
        raise SchemaError(
            "the database holds no products or users: run 'shopdb generate' or "
            "'shopdb bench seed' first"
        )
    return Catalog(prices, tuple(prices), user_ids)


def top_up(engine: Engine, catalog: Catalog, floor: int) -> int:
    """Restock (through the service, as receipts) every product below ``floor`` units up to it.

    Returns how many products were restocked.
    """
    with engine.connect() as conn:
        low = conn.execute(
            select(inventory.c.product_id, inventory.c.quantity_on_hand).where(
                inventory.c.product_id.in_(catalog.product_ids),
                inventory.c.quantity_on_hand < floor,
            )
        ).all()
    for product_id, on_hand in low:
        restock(engine, int(product_id), floor - int(on_hand))
    return len(low)
