"""Reading stock for the back office: products with stock, low stock first; a product's
movement ledger; recent weekly sales for sparklines. Read-only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement

from shopdb.db.schema import (
    categories,
    inventory,
    inventory_movements,
    order_items,
    orders,
    products,
)
from shopdb.errors import InvalidInput, NotFound
from shopdb.services._tx import run_in_transaction

PAGE_SIZE = 50
LEDGER_SIZE = 100
# units above the reorder level: negative or zero means "reorder now", so sorting by it
# ascending puts low stock first
_above_reorder: ColumnElement[int] = inventory.c.quantity_on_hand - inventory.c.reorder_level


@dataclass(frozen=True)
class StockRow:
    """One product with its stock."""

    product_id: int
    sku: str
    name: str
    category_id: int
    category_name: str
    price_cents: int
    quantity_on_hand: int
    reorder_level: int

    @property
    def is_low(self) -> bool:
        """At or below the reorder level."""
        return self.quantity_on_hand <= self.reorder_level


@dataclass(frozen=True)
class StockPage:
    """A page of products and the cursor of the next one (None on the last page)."""

    rows: list[StockRow]
    next_cursor: str | None


_COLUMNS = (
    products.c.product_id,
    products.c.sku,
    products.c.name,
    products.c.category_id,
    categories.c.name,
    products.c.price_cents,
    inventory.c.quantity_on_hand,
    inventory.c.reorder_level,
)


def _after(cursor: str) -> ColumnElement[bool]:
    margin_text, _, id_text = cursor.partition("~")
    try:
        margin, last_id = int(margin_text), int(id_text)
    except ValueError:
        raise InvalidInput(f"malformed page cursor {cursor!r}") from None
    beyond: ColumnElement[bool] = _above_reorder > margin
    tied: ColumnElement[bool] = _above_reorder == margin
    return or_(beyond, and_(tied, products.c.product_id > last_id))


def list_stock(
    engine: Engine,
    *,
    search: str | None = None,
    category_id: int | None = None,
    low_only: bool = False,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> StockPage:
    """Products with their stock, lowest above their reorder level first.

    ``search`` matches a SKU or part of a name, case-insensitively.

    Raises:
        InvalidInput: a malformed cursor or page size.
    """
    if not 1 <= limit <= 500:
        raise InvalidInput("a page holds 1 to 500 products")
    stmt = (
        select(*_COLUMNS, _above_reorder.label("margin"))
        .join(inventory, inventory.c.product_id == products.c.product_id)
        .join(categories, categories.c.category_id == products.c.category_id)
    )
    term = (search or "").strip().lower()
    if term:
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(
            or_(
                products.c.sku == (search or "").strip(),
                products.c.name.ilike(f"%{escaped}%", escape="\\"),
            )
        )
    if category_id is not None:
        stmt = stmt.where(products.c.category_id == category_id)
    if low_only:
        stmt = stmt.where(_above_reorder <= 0)
    if cursor:
        stmt = stmt.where(_after(cursor))
    stmt = stmt.order_by(_above_reorder, products.c.product_id).limit(limit + 1)

    def body(conn: Connection) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in conn.execute(stmt)]

    found = run_in_transaction(engine, body, write=False)
    rows = [StockRow(*row[:8]) for row in found[:limit]]
    more = len(found) > limit
    last = found[limit - 1] if more else None
    return StockPage(rows, f"{last[8]}~{last[0]}" if last is not None else None)


def get_stock(engine: Engine, product_id: int) -> StockRow:
    """One product with its stock.

    Raises:
        NotFound: no such product.
    """
    stmt = (
        select(*_COLUMNS)
        .join(inventory, inventory.c.product_id == products.c.product_id)
        .join(categories, categories.c.category_id == products.c.category_id)
        .where(products.c.product_id == product_id)
    )

    def body(conn: Connection) -> StockRow:
        row = conn.execute(stmt).first()
        if row is None:
            raise NotFound(f"product {product_id} does not exist")
        return StockRow(*row)

    return run_in_transaction(engine, body, write=False)


def ledger(engine: Engine, product_id: int, *, limit: int = LEDGER_SIZE) -> list[tuple[Any, ...]]:
    """A product's latest stock movements, newest first.

    Each row: (movement_id, created_at, reason, quantity_delta, order_id or None).
    """
    stmt = (
        select(
            inventory_movements.c.movement_id,
            inventory_movements.c.created_at,
            inventory_movements.c.reason,
            inventory_movements.c.quantity_delta,
            inventory_movements.c.order_id,
        )
        .where(inventory_movements.c.product_id == product_id)
        .order_by(inventory_movements.c.created_at.desc(), inventory_movements.c.movement_id.desc())
        .limit(limit)
    )
    return run_in_transaction(
        engine, lambda conn: [tuple(r) for r in conn.execute(stmt)], write=False
    )


def weekly_units(
    engine: Engine, product_ids: Sequence[int], until: datetime, *, weeks: int = 12
) -> dict[int, list[int]]:
    """Units sold (orders not cancelled) per week in the ``weeks`` weeks before ``until``.

    Each product gets ``weeks`` numbers, oldest week first.
    """
    result = {pid: [0] * weeks for pid in product_ids}
    if not product_ids:
        return result
    start = until - timedelta(weeks=weeks)
    stmt = (
        select(order_items.c.product_id, orders.c.created_at, order_items.c.quantity)
        .join(orders, orders.c.order_id == order_items.c.order_id)
        .where(
            order_items.c.product_id.in_(list(product_ids)),
            orders.c.status != "cancelled",
            orders.c.created_at >= start,
            orders.c.created_at < until,
        )
    )
    rows = run_in_transaction(engine, lambda conn: list(conn.execute(stmt)), write=False)
    for product_id, created_at, quantity in rows:
        week = min(weeks - 1, (created_at - start).days // 7)
        result[int(product_id)][week] += int(quantity)
    return result
