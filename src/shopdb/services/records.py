"""One row at a time: read, conditionally update and delete users, categories and products.

A product's version is a hash of its stored columns (``product_version``): a client that
read version V may change the product only while V is still current. The check and the
change run under the row's lock, so of two updates that both read V exactly one applies.
A delete the schema refuses (a product that was ordered, a user with orders, a category
with products or children) raises ``ConstraintViolation`` naming the foreign key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection, Engine

from shopdb.db.lake_log import touch, touch_months
from shopdb.db.schema import categories, inventory, inventory_movements, products, users
from shopdb.db.violations import violations_as_errors
from shopdb.errors import ConstraintViolation, Duplicate, InvalidInput, NotFound, StaleVersion
from shopdb.rollups.categories import move_product
from shopdb.services._tx import run_in_transaction
from shopdb.services.browse import CATEGORY_COLUMNS, PRODUCT_COLUMNS, USER_COLUMNS

PRODUCT_FIELDS = ("category_id", "sku", "name", "price_cents", "brand")
"""The product columns an update may change."""


def _one(engine: Engine, stmt: Any, what: str) -> dict[str, Any]:
    row = run_in_transaction(engine, lambda conn: conn.execute(stmt).first(), write=False)
    if row is None:
        raise NotFound(f"{what} does not exist")
    return dict(row._mapping)


def get_user(engine: Engine, user_id: int) -> dict[str, Any]:
    """A user's row. Raises NotFound."""
    return _one(engine, select(*USER_COLUMNS).where(users.c.user_id == user_id), f"user {user_id}")


def get_category(engine: Engine, category_id: int) -> dict[str, Any]:
    """A category's row. Raises NotFound."""
    stmt = select(*CATEGORY_COLUMNS).where(categories.c.category_id == category_id)
    return _one(engine, stmt, f"category {category_id}")


def product_version(row: Mapping[str, Any]) -> str:
    """The version of a product: a hash of its stored columns, in a fixed order."""
    text = "\x1f".join(repr(row[c.key]) for c in PRODUCT_COLUMNS)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def get_product(engine: Engine, product_id: int) -> dict[str, Any]:
    """A product's row. Raises NotFound."""
    stmt = select(*PRODUCT_COLUMNS).where(products.c.product_id == product_id)
    return _one(engine, stmt, f"product {product_id}")


def get_inventory(engine: Engine, product_id: int) -> dict[str, Any]:
    """A product's stock row (product_id, quantity_on_hand, reorder_level, updated_at)."""
    return run_in_transaction(engine, lambda conn: read_inventory(conn, product_id), write=False)


def read_inventory(conn: Connection, product_id: int) -> dict[str, Any]:
    """``get_inventory`` in the caller's transaction. Raises NotFound."""
    row = conn.execute(select(inventory).where(inventory.c.product_id == product_id)).first()
    if row is None:
        raise NotFound(f"product {product_id} does not exist")
    return dict(row._mapping)


def update_product(
    engine: Engine, product_id: int, expected_version: str, changes: Mapping[str, Any]
) -> dict[str, Any]:
    """Change a product's columns if its version is still ``expected_version``; return the row.

    A new category takes the product's folded sales along in the category rollups, in
    the same transaction (``rollups.categories.move_product``).

    Raises:
        InvalidInput: an unknown field, an empty SKU or name, or a negative price.
        NotFound: no such product, or no such category to move it to.
        StaleVersion: the product changed since that version was read.
        Duplicate: the new SKU belongs to another product.
        On every error nothing is written.
    """
    values = _product_values(changes)

    def body(conn: Connection) -> dict[str, Any]:
        current = conn.execute(
            select(*PRODUCT_COLUMNS).where(products.c.product_id == product_id).with_for_update()
        ).first()
        if current is None:
            raise NotFound(f"product {product_id} does not exist")
        row = dict(current._mapping)
        if product_version(row) != expected_version:
            raise StaleVersion(f"product {product_id} changed since version {expected_version}")
        if not values:
            return row
        if "category_id" in values and not _category_exists(conn, values["category_id"]):
            raise NotFound(f"category {values['category_id']} does not exist")
        conn.execute(update(products).where(products.c.product_id == product_id).values(values))
        # its folded sales follow it, under the row lock the UPDATE holds
        new_category = values.get("category_id", row["category_id"])
        move_product(conn, product_id, row["category_id"], new_category)
        touch(conn, None, products)
        return {**row, **values}

    try:
        return run_in_transaction(engine, body)
    except ConstraintViolation as exc:
        if exc.constraint == "uq_products_sku":
            raise Duplicate(f"a product with SKU {values.get('sku')!r} already exists") from None
        raise


def _product_values(changes: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(PRODUCT_FIELDS)
    if unknown:
        raise InvalidInput(f"a product has no field {sorted(unknown)[0]!r}")
    values = dict(changes)
    for name in ("sku", "name"):
        if name in values:
            if values[name] is None or not str(values[name]).strip():
                raise InvalidInput(f"a product's {name} cannot be empty")
            values[name] = str(values[name]).strip()
    if "price_cents" in values and (values["price_cents"] is None or values["price_cents"] < 0):
        raise InvalidInput("a price cannot be negative")
    if "category_id" in values and values["category_id"] is None:
        raise InvalidInput("a product needs a category")
    return values


def _category_exists(conn: Connection, category_id: int) -> bool:
    found = conn.execute(
        select(categories.c.category_id).where(categories.c.category_id == category_id)
    ).first()
    return found is not None


def rename_category(engine: Engine, category_id: int, name: str) -> dict[str, Any]:
    """Rename a category; return its row.

    Raises:
        InvalidInput: an empty name. NotFound: no such category.
        Duplicate: a sibling has that name. Nothing is written on error.
    """
    cleaned = name.strip()
    if not cleaned:
        raise InvalidInput("a category needs a name")

    def body(conn: Connection) -> None:
        changed = conn.execute(
            update(categories).where(categories.c.category_id == category_id).values(name=cleaned)
        )
        if changed.rowcount == 0 and not _category_exists(conn, category_id):
            raise NotFound(f"category {category_id} does not exist")
        touch(conn, None, categories)

    try:
        run_in_transaction(engine, body)
    except ConstraintViolation as exc:
        if exc.constraint == "uq_categories_parent_name":
            raise Duplicate(f"category {cleaned!r} already exists under that parent") from None
        raise
    return get_category(engine, category_id)


def _delete(engine: Engine, table: Any, key: Any, value: int, what: str) -> None:
    def body(conn: Connection) -> None:
        if table is products:
            _touch_product_rows(conn, value)
        touch(conn, None, table)
        # translated while the transaction is open: SQLite names the refusing foreign key
        # only by looking at the rows that still refer to the one deleted
        with violations_as_errors(conn):
            deleted = conn.execute(delete(table).where(key == value)).rowcount
        if deleted == 0:
            raise NotFound(f"{what} {value} does not exist")

    run_in_transaction(engine, body)


def _touch_product_rows(conn: Connection, product_id: int) -> None:
    """The lake partitions a product's deletion cascades into: its stock row and the
    months of its movements (a product never ordered has only its receipts)."""
    touch(conn, None, inventory)
    moved = conn.execute(
        select(inventory_movements.c.created_at).where(
            inventory_movements.c.product_id == product_id
        )
    ).scalars()
    touch_months(conn, moved, inventory_movements)


def delete_user(engine: Engine, user_id: int) -> None:
    """Delete a user who never ordered.

    Raises:
        NotFound: no such user. ConstraintViolation: ``fk_orders_user_id``, the user has
            orders. Nothing is deleted on error.
    """
    _delete(engine, users, users.c.user_id, user_id, "user")


def delete_category(engine: Engine, category_id: int) -> None:
    """Delete a category without products or subcategories.

    Raises:
        NotFound: no such category. ConstraintViolation: ``fk_products_category_id`` or
            ``fk_categories_parent_id``. Nothing is deleted on error.
    """
    _delete(engine, categories, categories.c.category_id, category_id, "category")


def delete_product(engine: Engine, product_id: int) -> None:
    """Delete a product never ordered, with its stock row and ledger (ON DELETE CASCADE).

    Raises:
        NotFound: no such product. ConstraintViolation: ``fk_order_items_product_id``,
            it was ordered. Nothing is deleted on error.
    """
    _delete(engine, products, products.c.product_id, product_id, "product")
