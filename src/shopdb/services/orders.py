"""Orders: place one (taking its stock) and cancel one (giving the stock back).

Stock is taken with one conditional ``UPDATE inventory ... WHERE quantity_on_hand >= :qty``
per product, in product-id order. The check and the decrement are one atomic statement,
so no backend at its default isolation level can sell a unit twice, and concurrent
multi-item orders lock rows in the same order instead of deadlocking.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import BindParameter

from shopdb.db.lake_log import touch
from shopdb.db.schema import (
    inventory,
    inventory_movements,
    order_items,
    order_status_history,
    orders,
    payments,
    products,
    users,
)
from shopdb.db.types import utcnow
from shopdb.errors import InvalidInput, NotFound, OutOfStock
from shopdb.lifecycle import INITIAL_STATUS, PAYMENT_REFUND
from shopdb.limits import MAX_ORDER_LINES, MAX_QUANTITY, MAX_TOTAL_CENTS, check_id
from shopdb.rollups.maintain import order_placed, payments_refunded
from shopdb.services._status import LockedOrder, move_order, record_status
from shopdb.services._tx import inserted_id, run_in_transaction
from shopdb.services.catalog import ProductRef, resolve_product
from shopdb.services.order_view import OrderView, read_order

Items = (
    Mapping[int, int]
    | Mapping[str, int]
    | Mapping[ProductRef, int]
    | Iterable[tuple[ProductRef, int]]
)
"""What an order asks for: quantities by product (an id, or text naming one by id or
SKU), as a mapping or as pairs; a product named twice is one item of the summed quantity."""


def place_order(
    engine: Engine, user_id: int, quantities: Items, *, now: datetime | None = None
) -> int:
    """Place an order at today's prices and take its stock; return the new order's id.

    One transaction resolves the products named by SKU, merges a product named twice
    into one item, and writes the order (``pending``, ``total_cents`` = sum of quantity
    times the price snapshot in ``order_items``), its items, a ``sale`` movement per
    product and the history row ``NULL -> pending``.

    Raises:
        InvalidInput: no items, more than ``limits.MAX_ORDER_LINES`` of them, an id out
            of range, a quantity that is not from 1 to ``limits.MAX_QUANTITY``, or a
            date before the user signed up.
        NotFound: the user or a product does not exist.
        OutOfStock: a product has fewer units than asked for.
        On every error nothing is written: no stock is taken and no order exists.
    """
    check_id("user", user_id)
    asked = _validated(quantities)
    at = now or utcnow()
    return run_in_transaction(engine, lambda conn: _place(conn, user_id, _merged(conn, asked), at))


def checkout(
    engine: Engine, user_id: int, items: Items, *, now: datetime | None = None
) -> OrderView:
    """``place_order``, answering with the new order as ``get_order`` reads it.

    The order is read in the transaction that placed it: one transaction in all.

    Raises:
        The errors of ``place_order``; on every error nothing is written.
    """
    check_id("user", user_id)
    asked = _validated(items)
    at = now or utcnow()

    def body(conn: Connection) -> OrderView:
        return read_order(conn, _place(conn, user_id, _merged(conn, asked), at))

    return run_in_transaction(engine, body)


def _validated(items: Items) -> list[tuple[ProductRef, int]]:
    pairs = list(items.items() if isinstance(items, Mapping) else items)
    if not pairs:
        raise InvalidInput("an order needs at least one item")
    if len(pairs) > MAX_ORDER_LINES:
        raise InvalidInput(f"an order has at most {MAX_ORDER_LINES} items, got {len(pairs)}")
    for product, quantity in pairs:
        if isinstance(product, int):
            check_id("product", product)
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
            raise InvalidInput(f"quantity of product {product} must be positive, got {quantity}")
        _check_quantity(product, quantity)
    return pairs


def _check_quantity(product: ProductRef, quantity: int) -> None:
    if quantity > MAX_QUANTITY:
        raise InvalidInput(
            f"quantity of product {product} must be at most {MAX_QUANTITY:,}, got {quantity:,}"
        )


def _merged(conn: Connection, asked: list[tuple[ProductRef, int]]) -> list[tuple[int, int]]:
    quantities: dict[int, int] = {}
    for product, quantity in asked:
        product_id = resolve_product(conn, product)
        quantities[product_id] = quantities.get(product_id, 0) + quantity
        _check_quantity(product, quantities[product_id])
    # product-id order: every transaction locks inventory rows in the same order
    return sorted(quantities.items())


@lru_cache(maxsize=64)
def _buyer_and_prices(count: int) -> Select[Any]:
    """The buyer's address and the prices of ``count`` products, in one round trip.

    Every product row carries the user's columns: a missing user gives no row, a missing
    product a row without product_id. One statement per basket size, with a bind
    parameter per product (not an expanding IN): each compiles once and is then reused
    as it is, here and as the database's prepared statement.
    """
    ids: list[BindParameter[int]] = [bindparam(f"b_id{i}") for i in range(count)]
    return (
        select(
            users.c.country_code,
            users.c.city,
            users.c.created_at,
            products.c.product_id,
            products.c.price_cents,
        )
        .select_from(users.outerjoin(products, products.c.product_id.in_(ids)))
        .where(users.c.user_id == bindparam("b_user"))
    )


# Built once: executing a prebuilt statement reuses its memoized cache key and compiled
# form, which keeps SQLAlchemy's per-call cost small next to the round trips.
_INSERT_ORDER = insert(orders)
_INSERT_ITEMS = insert(order_items)
_INSERT_MOVEMENTS = insert(inventory_movements)
_TAKE_STOCK = (
    update(inventory)
    .where(
        inventory.c.product_id == bindparam("b_product"),
        inventory.c.quantity_on_hand >= bindparam("b_qty"),
    )
    .values(
        quantity_on_hand=inventory.c.quantity_on_hand - bindparam("b_qty"),
        updated_at=bindparam("b_at", type_=inventory.c.updated_at.type),
    )
)
# a locking read: it sees the row the failed UPDATE saw (the latest committed), where a
# plain read under MariaDB's REPEATABLE READ would report the transaction's old snapshot
_STOCK = (
    select(inventory.c.quantity_on_hand)
    .where(inventory.c.product_id == bindparam("b_product"))
    .with_for_update()
)


def _place(conn: Connection, user_id: int, items: list[tuple[int, int]], at: datetime) -> int:
    (country_code, city), prices = _address_and_prices(conn, user_id, items, at)
    total = sum(quantity * prices[product_id] for product_id, quantity in items)
    if total > MAX_TOTAL_CENTS:  # only prices stored before the schema bounded them
        raise InvalidInput(f"an order total is at most {MAX_TOTAL_CENTS:,} cents, got {total:,}")
    order_id = inserted_id(
        conn.execute(
            _INSERT_ORDER,
            {
                "user_id": user_id,
                "status": INITIAL_STATUS,
                "created_at": at,
                "updated_at": at,
                "total_cents": total,
                "ship_country_code": country_code,
                "ship_city": city,
            },
        )
    )
    conn.execute(
        _INSERT_ITEMS,
        [
            {"order_id": order_id, "product_id": p, "quantity": q, "unit_price_cents": prices[p]}
            for p, q in items
        ],
    )
    record_status(conn, order_id, None, INITIAL_STATUS, at)
    touch(conn, at, orders, order_items, order_status_history)
    touch(conn, None, inventory)
    order_placed(conn, at)
    # stock last: the hot inventory rows stay locked for as short a time as possible
    for product_id, quantity in items:
        _take_stock(conn, product_id, quantity, at)
    _record_movements(conn, order_id, [(p, -q) for p, q in items], "sale", at)
    return order_id


def _address_and_prices(
    conn: Connection, user_id: int, items: list[tuple[int, int]], at: datetime
) -> tuple[tuple[str | None, str | None], dict[int, int]]:
    """The user's country and city, and each product's price.

    Raises:
        NotFound: the user, or one of the products, does not exist.
        InvalidInput: ``at`` is before the user signed up.
    """
    params = {f"b_id{i}": product_id for i, (product_id, _) in enumerate(items)}
    rows = conn.execute(_buyer_and_prices(len(items)), params | {"b_user": user_id}).all()
    if not rows:
        raise NotFound(f"user {user_id} does not exist")
    signed_up = rows[0].created_at
    if at < signed_up:
        raise InvalidInput(
            f"user {user_id} signed up at {signed_up:%Y-%m-%d %H:%M:%S} UTC: "
            f"an order cannot be dated before that"
        )
    prices = {int(r.product_id): int(r.price_cents) for r in rows if r.product_id is not None}
    missing = [product_id for product_id, _ in items if product_id not in prices]
    if missing:
        raise NotFound(f"product {missing[0]} does not exist")
    return (rows[0].country_code, rows[0].city), prices


def _take_stock(conn: Connection, product_id: int, quantity: int, at: datetime) -> None:
    """Take units with one conditional UPDATE; race-free at every default isolation level.

    Raises:
        OutOfStock: fewer than ``quantity`` units are on hand.
    """
    taken = conn.execute(_TAKE_STOCK, {"b_product": product_id, "b_qty": quantity, "b_at": at})
    if taken.rowcount != 1:
        available = conn.execute(_STOCK, {"b_product": product_id}).scalar()
        raise OutOfStock(product_id, quantity, int(available or 0))


def _record_movements(
    conn: Connection, order_id: int, deltas: list[tuple[int, int]], reason: str, at: datetime
) -> None:
    touch(conn, at, inventory_movements)
    conn.execute(
        _INSERT_MOVEMENTS,
        [
            {
                "product_id": p,
                "quantity_delta": d,
                "reason": reason,
                "order_id": order_id,
                "created_at": at,
            }
            for p, d in deltas
        ],
    )


def cancel_order(engine: Engine, order_id: int, *, now: datetime | None = None) -> None:
    """Cancel a pending or paid order: its stock comes back, captured money is refunded.

    Writes a ``return`` movement per item (equal to its ``sale``), adds the units back to
    ``inventory``, marks ``completed`` payments ``refunded`` with ``refunded_at`` and moves
    the order to ``cancelled`` with a history row.

    Raises:
        NotFound: no such order.
        InvalidTransition: the order has shipped, or is already cancelled or refunded.
        On error nothing is written.
    """

    check_id("order", order_id)

    def body(conn: Connection) -> None:
        order, at = move_order(conn, order_id, "cancelled", now)
        items = conn.execute(
            select(order_items.c.product_id, order_items.c.quantity)
            .where(order_items.c.order_id == order_id)
            .order_by(order_items.c.product_id)
        ).all()
        for product_id, quantity in items:
            conn.execute(
                update(inventory)
                .where(inventory.c.product_id == product_id)
                .values(quantity_on_hand=inventory.c.quantity_on_hand + quantity, updated_at=at)
            )
        if items:
            touch(conn, None, inventory)
            _record_movements(conn, order_id, [(p, int(q)) for p, q in items], "return", at)
        refund_captured(conn, order, at)

    run_in_transaction(engine, body)


def refund_captured(conn: Connection, order: LockedOrder, at: datetime) -> int:
    """Mark an order's ``completed`` payments ``refunded``; return how many there were.

    ``lifecycle.PAYMENT_REFUND`` is the change; the caller's transaction holds it.
    """
    captured, refunded = PAYMENT_REFUND
    result = conn.execute(
        update(payments)
        .where(payments.c.order_id == order.order_id, payments.c.status == captured)
        .values(status=refunded, refunded_at=at)
    )
    if result.rowcount:
        touch(conn, order.created_at, payments)
        payments_refunded(conn, order.order_id, at)
    return int(result.rowcount)
