"""The catalogue: categories, products with their stock, prices and restocking.

Stock only changes together with a row in ``inventory_movements``, so the ledger always
sums to ``inventory.quantity_on_hand``: a new product's opening stock is a ``receipt``,
and so is every restock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, insert, select, update
from sqlalchemy.engine import Connection, Engine

from shopdb.db.lake_log import touch
from shopdb.db.schema import categories, inventory, inventory_movements, products
from shopdb.db.types import utcnow
from shopdb.errors import InvalidInput, NotFound
from shopdb.limits import MAX_ID, MAX_PRICE_CENTS, MAX_STOCK, check_id, check_range, check_text
from shopdb.services._tx import inserted_id, run_in_transaction


def create_category(engine: Engine, name: str, *, parent_id: int | None = None) -> int:
    """Create a category; return its id.

    Raises:
        InvalidInput: an empty name. NotFound: no such parent.
        Duplicate: the parent already has a child of this name. Nothing is written on error.
    """
    cleaned = name.strip()
    if not cleaned:
        raise InvalidInput("a category needs a name")
    check_text("a category name", cleaned, 100)
    if parent_id is not None:
        check_id("category", parent_id)

    def body(conn: Connection) -> int:
        if parent_id is not None and not _row_exists(conn, categories.c.category_id, parent_id):
            raise NotFound(f"category {parent_id} does not exist")
        result = conn.execute(insert(categories).values(name=cleaned, parent_id=parent_id))
        touch(conn, None, categories)
        return inserted_id(result)

    taken = {"uq_categories_parent_name": f"category {cleaned!r} already exists under that parent"}
    return run_in_transaction(engine, body, duplicates=taken)


def create_product(
    engine: Engine,
    *,
    category_id: int,
    sku: str,
    name: str,
    price_cents: int,
    quantity: int = 0,
    brand: str | None = None,
    now: datetime | None = None,
) -> int:
    """Create a product with its inventory row and opening stock; return its id.

    The opening stock, when positive, is recorded as a ``receipt`` movement.

    Raises:
        InvalidInput: an empty SKU or name, a negative price or quantity.
        NotFound: no such category. Duplicate: the SKU is taken. Nothing is written on error.
    """
    sku, name = sku.strip(), name.strip()
    if not sku or not name:
        raise InvalidInput("a product needs a SKU and a name")
    check_text("a SKU", sku, 64)
    check_text("a product name", name, 200)
    if brand is not None:
        brand = check_text("a brand", brand.strip(), 100)
    check_id("category", category_id)
    if price_cents < 0 or quantity < 0:
        raise InvalidInput("price and quantity cannot be negative")
    check_range("a price in cents", price_cents, 0, MAX_PRICE_CENTS)
    check_range("an opening stock", quantity, 0, MAX_STOCK)
    at = now or utcnow()

    def body(conn: Connection) -> int:
        if not _row_exists(conn, categories.c.category_id, category_id):
            raise NotFound(f"category {category_id} does not exist")
        result = conn.execute(
            insert(products).values(
                category_id=category_id,
                sku=sku,
                name=name,
                price_cents=price_cents,
                brand=brand,
                created_at=at,
            )
        )
        product_id = inserted_id(result)
        touch(conn, None, products, inventory)
        conn.execute(
            insert(inventory).values(
                product_id=product_id, quantity_on_hand=quantity, updated_at=at
            )
        )
        if quantity > 0:
            _record_receipt(conn, product_id, quantity, at)
        return product_id

    taken = {"uq_products_sku": f"a product with SKU {sku!r} already exists"}
    return run_in_transaction(engine, body, duplicates=taken)


def change_price(engine: Engine, product_id: int, price_cents: int) -> None:
    """Set a product's list price; orders already placed keep the price they snapshot.

    Raises:
        InvalidInput: a negative price. NotFound: no such product. Nothing is written on error.
    """
    check_id("product", product_id)
    if price_cents < 0:
        raise InvalidInput(f"a price cannot be negative, got {price_cents}")
    check_range("a price in cents", price_cents, 0, MAX_PRICE_CENTS)

    def body(conn: Connection) -> None:
        result = conn.execute(
            update(products)
            .where(products.c.product_id == product_id)
            .values(price_cents=price_cents)
        )
        if result.rowcount == 0:
            raise NotFound(f"product {product_id} does not exist")
        touch(conn, None, products)

    run_in_transaction(engine, body)


ProductRef = int | str
"""A product by id, or by what a user typed: a numeric id, else a SKU."""


@dataclass(frozen=True)
class Restocked:
    """What a restock did: which product, and the units on hand after it."""

    product_id: int
    quantity_on_hand: int


def restock(
    engine: Engine, product: ProductRef, quantity: int, *, now: datetime | None = None
) -> int:
    """Add units to a product's stock with a ``receipt`` movement; return the new stock.

    ``product`` is an id, or text naming one (see ``resolve_product``).

    Raises:
        InvalidInput: a quantity that is not positive. NotFound: no such product.
            Nothing is written on error.
    """
    return restock_product(engine, product, quantity, now=now).quantity_on_hand


def restock_product(
    engine: Engine, product: ProductRef, quantity: int, *, now: datetime | None = None
) -> Restocked:
    """``restock``, answering which product it was (for a product named by SKU).

    Raises:
        InvalidInput: a quantity that is not positive, or that would take the stock
            above ``limits.MAX_STOCK``. NotFound: no such product.
            Nothing is written on error.
    """
    if isinstance(product, int):
        check_id("product", product)
    if isinstance(quantity, int) and not isinstance(quantity, bool) and quantity <= 0:
        raise InvalidInput(f"a restock needs a positive quantity, got {quantity}")
    check_range("a restock quantity", quantity, 1, MAX_STOCK)
    at = now or utcnow()

    def body(conn: Connection) -> Restocked:
        product_id = resolve_product(conn, product)
        # the bound is part of the conditional UPDATE, so the sum is never computed
        # for a row it would overflow, and two concurrent restocks cannot both pass
        result = conn.execute(
            update(inventory)
            .where(
                inventory.c.product_id == product_id,
                inventory.c.quantity_on_hand <= MAX_STOCK - quantity,
            )
            .values(quantity_on_hand=inventory.c.quantity_on_hand + quantity, updated_at=at)
        )
        if result.rowcount == 0:
            on_hand = conn.execute(
                select(inventory.c.quantity_on_hand).where(inventory.c.product_id == product_id)
            ).scalar()
            if on_hand is None:
                raise NotFound(f"product {product_id} does not exist")
            raise InvalidInput(
                f"product {product_id} has {on_hand:,} units: {quantity:,} more would exceed "
                f"the limit of {MAX_STOCK:,} on hand"
            )
        touch(conn, None, inventory)
        _record_receipt(conn, product_id, quantity, at)
        on_hand = conn.execute(
            select(inventory.c.quantity_on_hand).where(inventory.c.product_id == product_id)
        ).scalar_one()
        return Restocked(product_id, int(on_hand))

    return run_in_transaction(engine, body)


def resolve_product(conn: Connection, ref: ProductRef) -> int:
    """The id of product ``ref``: an int is taken as it is (its existence is not checked
    here); text is tried as a numeric id first, then as a SKU. A helper: it only reads.

    Raises:
        NotFound: text that is neither a product's id nor its SKU.
    """
    if isinstance(ref, int):
        return ref
    text = ref.strip()
    if text.isdigit() and 1 <= int(text) <= MAX_ID:
        found = conn.execute(
            select(products.c.product_id).where(products.c.product_id == int(text))
        ).scalar()
        if found is not None:
            return int(found)
    by_sku = conn.execute(select(products.c.product_id).where(products.c.sku == text)).scalar()
    if by_sku is None:
        raise NotFound(f"product {ref!r} does not exist (neither an id nor a SKU)")
    return int(by_sku)


def _record_receipt(conn: Connection, product_id: int, quantity: int, at: datetime) -> None:
    touch(conn, at, inventory_movements)
    conn.execute(
        insert(inventory_movements).values(
            product_id=product_id, quantity_delta=quantity, reason="receipt", created_at=at
        )
    )


def _row_exists(conn: Connection, column: ColumnElement[Any], value: Any) -> bool:
    return conn.execute(select(column).where(column == value).limit(1)).first() is not None
