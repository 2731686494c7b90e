"""Lists of users, categories, products, orders, payments, shipments and stock movements.

Every list is keyset-paginated on its primary key, ascending: a page is the rows whose key
is greater than the last key of the previous page, so rows inserted while a client walks
the pages cannot shift them (a new row has a larger key and appears on a later page), and
a deep page costs what the first does. Each page is one read-only transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement

from shopdb.db.schema import (
    categories,
    inventory,
    inventory_movements,
    orders,
    payments,
    products,
    shipments,
    users,
)
from shopdb.services._tx import run_in_transaction
from shopdb.services.order_view import PAYMENT_COLUMNS, OrderView, read_order_views


@dataclass(frozen=True)
class Page:
    """One page of rows (dicts keyed by column) and whether more follow."""

    rows: list[dict[str, Any]]
    has_more: bool
    key: str
    """The column the list is ordered by: the next page starts after the last row's value."""

    @property
    def last_key(self) -> Any:
        """The key of the page's last row, or None for an empty page."""
        return self.rows[-1][self.key] if self.rows else None


@dataclass(frozen=True)
class OrderPage(Page):
    """A page of orders; with ``expand``, each order's view with the parts it names."""

    views: tuple[OrderView, ...] = ()


def _page(
    engine: Engine, stmt: Select[Any], key: ColumnElement[Any], after: int | None, limit: int
) -> Page:
    rows = run_in_transaction(
        engine, lambda conn: _rows(conn, stmt, key, after, limit), write=False
    )
    return Page(rows[:limit], len(rows) > limit, str(key.key))


def _rows(
    conn: Connection, stmt: Select[Any], key: ColumnElement[Any], after: int | None, limit: int
) -> list[dict[str, Any]]:
    """A page's rows and the first of the next page (``limit`` + 1 at most)."""
    if after is not None:
        stmt = stmt.where(key > after)
    stmt = stmt.order_by(key).limit(limit + 1)
    return [dict(r._mapping) for r in conn.execute(stmt)]


def _contains(column: ColumnElement[Any], text: str) -> ColumnElement[bool]:
    # lower() on both sides: one case-insensitive match on every backend's collation
    return func.lower(column).contains(text.lower(), autoescape=True)


USER_COLUMNS = (
    users.c.user_id,
    users.c.email,
    users.c.first_name,
    users.c.last_name,
    users.c.country_code,
    users.c.city,
    users.c.created_at,
)


def list_users(
    engine: Engine,
    *,
    after: int | None = None,
    limit: int = 50,
    country_code: str | None = None,
    q: str | None = None,
) -> Page:
    """Users by id; ``q`` matches part of the email or the name, case-insensitively."""
    stmt = select(*USER_COLUMNS)
    if country_code is not None:
        stmt = stmt.where(users.c.country_code == country_code.upper())
    if q:
        stmt = stmt.where(
            _contains(users.c.email, q) | _contains(users.c.first_name + " " + users.c.last_name, q)
        )
    return _page(engine, stmt, users.c.user_id, after, limit)


CATEGORY_COLUMNS = (categories.c.category_id, categories.c.name, categories.c.parent_id)


def list_categories(
    engine: Engine, *, after: int | None = None, limit: int = 50, parent_id: int | None = None
) -> Page:
    """Categories by id; ``parent_id`` keeps one category's children (0: the top level)."""
    stmt = select(*CATEGORY_COLUMNS)
    if parent_id == 0:
        stmt = stmt.where(categories.c.parent_id.is_(None))
    elif parent_id is not None:
        stmt = stmt.where(categories.c.parent_id == parent_id)
    return _page(engine, stmt, categories.c.category_id, after, limit)


PRODUCT_COLUMNS = (
    products.c.product_id,
    products.c.category_id,
    products.c.sku,
    products.c.name,
    products.c.price_cents,
    products.c.brand,
    products.c.created_at,
)


def list_products(
    engine: Engine,
    *,
    after: int | None = None,
    limit: int = 50,
    category_id: int | None = None,
    min_price_cents: int | None = None,
    max_price_cents: int | None = None,
    q: str | None = None,
    low_stock: bool | None = None,
) -> Page:
    """Products by id, each with its stock; filters combine with AND.

    ``q`` matches part of the name, SKU or brand; ``low_stock`` keeps products at or
    below their reorder level (``false``: above it).
    """
    stmt = select(*PRODUCT_COLUMNS, inventory.c.quantity_on_hand, inventory.c.reorder_level).join(
        inventory, inventory.c.product_id == products.c.product_id
    )
    if category_id is not None:
        stmt = stmt.where(products.c.category_id == category_id)
    if min_price_cents is not None:
        stmt = stmt.where(products.c.price_cents >= min_price_cents)
    if max_price_cents is not None:
        stmt = stmt.where(products.c.price_cents <= max_price_cents)
    if q:
        stmt = stmt.where(
            _contains(products.c.name, q)
            | _contains(products.c.sku, q)
            | _contains(func.coalesce(products.c.brand, ""), q)
        )
    if low_stock is not None:
        low = inventory.c.quantity_on_hand <= inventory.c.reorder_level
        stmt = stmt.where(low if low_stock else ~low)
    return _page(engine, stmt, products.c.product_id, after, limit)


MOVEMENT_COLUMNS = (
    inventory_movements.c.movement_id,
    inventory_movements.c.product_id,
    inventory_movements.c.quantity_delta,
    inventory_movements.c.reason,
    inventory_movements.c.order_id,
    inventory_movements.c.created_at,
)


def list_movements(
    engine: Engine, product_id: int, *, after: int | None = None, limit: int = 50
) -> Page:
    """One product's stock ledger, oldest first (an unknown product has an empty one)."""
    stmt = select(*MOVEMENT_COLUMNS).where(inventory_movements.c.product_id == product_id)
    return _page(engine, stmt, inventory_movements.c.movement_id, after, limit)


ORDER_COLUMNS = (
    orders.c.order_id,
    orders.c.user_id,
    orders.c.status,
    orders.c.total_cents,
    orders.c.created_at,
    orders.c.updated_at,
    orders.c.ship_country_code,
    orders.c.ship_city,
)


def list_orders(
    engine: Engine,
    *,
    after: int | None = None,
    limit: int = 50,
    status: str | None = None,
    user_id: int | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    min_total_cents: int | None = None,
    max_total_cents: int | None = None,
    expand: frozenset[str] = frozenset(),
) -> OrderPage:
    """Orders by id; ``created_from`` is inclusive, ``created_to`` exclusive.

    ``expand`` names parts of an order (``order_view.PARTS``): the page then carries each
    order's view with them, read in the page's transaction by one query per part.
    """
    stmt = select(*ORDER_COLUMNS)
    for column, value, op in (
        (orders.c.status, status, "eq"),
        (orders.c.user_id, user_id, "eq"),
        (orders.c.created_at, created_from, "ge"),
        (orders.c.created_at, created_to, "lt"),
        (orders.c.total_cents, min_total_cents, "ge"),
        (orders.c.total_cents, max_total_cents, "le"),
    ):
        if value is not None:
            stmt = stmt.where(getattr(column, f"__{op}__")(value))

    def read(conn: Connection) -> OrderPage:
        rows = _rows(conn, stmt, orders.c.order_id, after, limit)
        views = read_order_views(conn, rows[:limit], expand) if expand else []
        return OrderPage(rows[:limit], len(rows) > limit, "order_id", tuple(views))

    return run_in_transaction(engine, read, write=False)


def list_payments(
    engine: Engine,
    *,
    after: int | None = None,
    limit: int = 50,
    order_id: int | None = None,
    status: str | None = None,
) -> Page:
    """Payments by id."""
    stmt = select(*PAYMENT_COLUMNS)
    if order_id is not None:
        stmt = stmt.where(payments.c.order_id == order_id)
    if status is not None:
        stmt = stmt.where(payments.c.status == status)
    return _page(engine, stmt, payments.c.payment_id, after, limit)


SHIPMENT_COLUMNS = (
    shipments.c.shipment_id,
    shipments.c.order_id,
    shipments.c.carrier,
    shipments.c.tracking_number,
    shipments.c.shipped_at,
    shipments.c.delivered_at,
)


def list_shipments(
    engine: Engine,
    *,
    after: int | None = None,
    limit: int = 50,
    order_id: int | None = None,
    delivered: bool | None = None,
) -> Page:
    """Shipments by id; ``delivered`` keeps delivered (or, false, undelivered) ones."""
    stmt = select(*SHIPMENT_COLUMNS)
    if order_id is not None:
        stmt = stmt.where(shipments.c.order_id == order_id)
    if delivered is not None:
        done = shipments.c.delivered_at.is_not(None)
        stmt = stmt.where(done if delivered else ~done)
    return _page(engine, stmt, shipments.c.shipment_id, after, limit)
