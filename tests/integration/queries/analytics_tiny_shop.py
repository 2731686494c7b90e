"""A tiny shop whose query answers are worked out by hand in the query tests."""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction

from sqlalchemy import insert
from sqlalchemy.engine import Connection, Engine

from shopdb.db.schema import (
    categories,
    inventory,
    order_items,
    order_status_history,
    orders,
    payments,
    products,
    shipments,
    users,
)
from shopdb.rollups.build import rebuild


def at(text: str) -> datetime:
    """An aware UTC timestamp from ``YYYY-MM-DD HH:MM[:SS[.ffffff]]``."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


AS_OF = at("2024-05-01 00:00")

CATEGORIES = [
    # category_id, name, parent_id
    (1, "Electronics", None),
    (2, "Phones", 1),
    (3, "Laptops", 1),
    (4, "Books", None),
    (5, "Garden", None),  # holds no products: no row in revenue_by_category
]
PRODUCTS = [
    # product_id, category_id, sku, name, price_cents, quantity_on_hand, reorder_level
    (10, 2, "PH-A", "Phone A", 50000, 3, 5),
    (11, 2, "PH-B", "Phone B", 30000, 50, 10),
    (12, 3, "LT-1", "Laptop", 120000, 2, 2),
    (13, 4, "BK-N", "Novel", 1500, 0, 5),
    (14, 4, "BK-C", "Cookbook", 2500, 100, 10),
]
USERS = [
    (1, "ada@example.com", "Ada", "Lovelace"),
    (2, "bob@example.com", "Bob", "Stone"),
    (3, "cy@example.com", "Cy", "Young"),
    (4, "di@example.com", "Di", "Prince"),  # never ordered
]
ORDERS = [
    # order_id, user_id, status, created_at, total_cents, ship_country_code, items
    # (order 103's total holds 500 of shipping over its items)
    (101, 1, "delivered", "2024-01-05 10:00", 51500, "GB", [(10, 1, 50000), (13, 1, 1500)]),
    (102, 2, "paid", "2024-01-20 12:00", 120000, "US", [(12, 1, 120000)]),
    (103, 1, "shipped", "2024-02-10 08:30", 3500, "GB", [(13, 2, 1500)]),
    (104, 3, "pending", "2024-02-28 23:59:59.999999", 30000, "US", [(11, 1, 30000)]),
    (105, 2, "cancelled", "2024-03-01 00:00", 2500, "US", [(14, 1, 2500)]),
    (106, 3, "refunded", "2024-04-15 09:00", 50000, "DE", [(10, 1, 50000)]),
    (107, 3, "delivered", "2024-04-20 18:00", 62500, None, [(11, 2, 30000), (14, 1, 2500)]),
    (108, 1, "pending", "2024-04-30 00:00:00.5", 1500, "GB", [(13, 1, 1500)]),
]
PAYMENTS = [
    # payment_id, order_id, amount_cents, method, status, created_at
    (1, 101, 51500, "card", "completed", "2024-01-05 10:01"),
    (2, 102, 120000, "card", "failed", "2024-01-20 12:01"),
    (3, 102, 120000, "paypal", "completed", "2024-01-20 12:05"),
    (4, 103, 3500, "card", "completed", "2024-02-10 08:31"),
    (5, 104, 30000, "card", "failed", "2024-02-29 00:01"),
    (6, 104, 30000, "gift_card", "failed", "2024-02-29 00:02"),
    (7, 106, 50000, "card", "refunded", "2024-04-15 09:01"),
    (8, 107, 62500, "bank_transfer", "completed", "2024-04-20 18:01"),
]
SHIPMENTS = [
    # order_id, shipped_at, delivered_at
    (101, "2024-01-06 09:00", "2024-01-08 15:00"),
    (103, "2024-02-11 09:00", None),
    (106, "2024-04-16 09:00", "2024-04-18 09:00"),
    (107, "2024-04-21 09:00", "2024-04-23 09:00"),
]


def load_tiny_shop(engine: Engine) -> None:
    """Insert the tiny shop above into an empty schema."""
    with engine.begin() as conn:
        for category_id, name, parent_id in CATEGORIES:
            conn.execute(
                insert(categories).values(category_id=category_id, name=name, parent_id=parent_id)
            )
        for pid, cid, sku, name, price, on_hand, reorder in PRODUCTS:
            conn.execute(
                insert(products).values(
                    product_id=pid,
                    category_id=cid,
                    sku=sku,
                    name=name,
                    price_cents=price,
                    created_at=at("2023-12-01 00:00"),
                )
            )
            conn.execute(
                insert(inventory).values(
                    product_id=pid,
                    quantity_on_hand=on_hand,
                    reorder_level=reorder,
                    updated_at=at("2024-04-30 00:00"),
                )
            )
        conn.execute(
            insert(users),
            [
                dict(user_id=u, email=e, first_name=f, last_name=la, created_at=at("2023-12-01"))
                for u, e, f, la in USERS
            ],
        )
        _load_orders(conn)
        # rows written behind the services' back: the rollups are built from them, as
        # the generator does after a bulk load
        rebuild(conn)


def _load_orders(conn: Connection) -> None:
    item_id = 0
    for order_id, user_id, status, created, total, country, items in ORDERS:
        conn.execute(
            insert(orders).values(
                order_id=order_id,
                user_id=user_id,
                status=status,
                created_at=at(created),
                total_cents=total,
                ship_country_code=country,
            )
        )
        for product_id, quantity, price in items:
            item_id += 1
            conn.execute(
                insert(order_items).values(
                    order_item_id=item_id,
                    order_id=order_id,
                    product_id=product_id,
                    quantity=quantity,
                    unit_price_cents=price,
                )
            )
    for pay_id, order_id, amount, method, status, created in PAYMENTS:
        conn.execute(
            insert(payments).values(
                payment_id=pay_id,
                order_id=order_id,
                amount_cents=amount,
                method=method,
                status=status,
                created_at=at(created),
                refunded_at=at("2024-04-25 00:00") if status == "refunded" else None,
            )
        )
    for n, (order_id, shipped, delivered) in enumerate(SHIPMENTS, start=1):
        conn.execute(
            insert(shipments).values(
                shipment_id=n,
                order_id=order_id,
                carrier="DHL",
                tracking_number=f"T{n}",
                shipped_at=at(shipped),
                delivered_at=at(delivered) if delivered else None,
            )
        )
    conn.execute(
        insert(order_status_history).values(
            history_id=1,
            order_id=105,
            from_status=None,
            to_status="pending",
            changed_at=at("2024-03-01 00:00"),
        )
    )


def rounded(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half away from zero, in plain Python."""
    exact = Fraction(abs(numerator), denominator)
    whole = int(exact + Fraction(1, 2))
    return whole if numerator >= 0 else -whole


def bp(numerator: int, denominator: int) -> int:
    return rounded(10000 * numerator, denominator)
