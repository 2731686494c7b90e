"""A moderately rich shop built with Python's seeded ``random``, the same on every backend.

Follows the order lifecycle (payments, shipments and history fit each status) and puts
timestamps with microseconds near month and year edges, where backends could disagree.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine

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

START = datetime(2022, 11, 30, 22, 0, tzinfo=UTC)
DAYS = 800
AS_OF = START + timedelta(days=DAYS)
STATUSES = ["pending", "paid", "shipped", "delivered", "delivered", "cancelled", "refunded"]
PATHS = {
    "pending": ["pending"],
    "paid": ["pending", "paid"],
    "shipped": ["pending", "paid", "shipped"],
    "delivered": ["pending", "paid", "shipped", "delivered"],
    "cancelled": ["pending", "cancelled"],
    "refunded": ["pending", "paid", "shipped", "refunded"],
}


def build(seed: int = 7, n_users: int = 60, n_orders: int = 400) -> dict[str, list[dict[str, Any]]]:
    """The rows of every table, keyed by table name."""
    rng = random.Random(seed)
    rows: dict[str, list[dict[str, Any]]] = {t.name: [] for t in _TABLES}
    rows["categories"] = [
        {"category_id": 1, "name": "Home", "parent_id": None},
        {"category_id": 2, "name": "Toys", "parent_id": None},
        {"category_id": 3, "name": "Kitchen", "parent_id": 1},
        {"category_id": 4, "name": "Knives", "parent_id": 3},
        {"category_id": 5, "name": "Puzzles", "parent_id": 2},
        {"category_id": 6, "name": "Empty", "parent_id": None},
    ]
    for pid in range(1, 31):
        rows["products"].append(
            {
                "product_id": pid,
                "category_id": rng.choice([1, 2, 3, 4, 5]),
                "sku": f"SKU-{pid:03d}",
                "name": f"Product {pid}",
                "price_cents": rng.randrange(100, 20000),
                "created_at": START,
            }
        )
        on_hand = rng.randrange(0, 40)
        rows["inventory"].append(
            {
                "product_id": pid,
                "quantity_on_hand": on_hand,
                "reorder_level": rng.randrange(0, 30),
                "updated_at": START,
            }
        )
    for uid in range(1, n_users + 1):
        rows["users"].append(
            {
                "user_id": uid,
                "email": f"user{uid}@example.com",
                "first_name": rng.choice(["Ann", "Bo", "Émile", "Zoë", "al"]),
                "last_name": f"Name{uid}",
                "created_at": START,
                "country_code": rng.choice(["GB", "US", "DE", None]),
            }
        )
    for oid in range(1, n_orders + 1):
        _order(rng, rows, oid, rng.randrange(1, n_users + 1))
    return rows


def _order(rng: random.Random, rows: dict[str, list[dict[str, Any]]], oid: int, uid: int) -> None:
    created = START + timedelta(
        days=rng.randrange(DAYS), microseconds=rng.randrange(86_400_000_000)
    )
    status = rng.choice(STATUSES)
    items = rng.sample(range(1, 31), rng.randrange(1, 4))
    total = 0
    for pid in items:
        quantity = rng.randrange(1, 4)
        price = rows["products"][pid - 1]["price_cents"]
        total += quantity * price
        rows["order_items"].append(
            {
                "order_item_id": len(rows["order_items"]) + 1,
                "order_id": oid,
                "product_id": pid,
                "quantity": quantity,
                "unit_price_cents": price,
            }
        )
    total += rng.choice([0, 0, 499])
    rows["orders"].append(
        {
            "order_id": oid,
            "user_id": uid,
            "status": status,
            "created_at": created,
            "total_cents": total,
            "ship_country_code": rng.choice(["GB", "US", "DE", "FR", None]),
        }
    )
    path = PATHS[status]
    for step, to_status in enumerate(path):
        rows["order_status_history"].append(
            {
                "history_id": len(rows["order_status_history"]) + 1,
                "order_id": oid,
                "from_status": path[step - 1] if step else None,
                "to_status": to_status,
                "changed_at": created + timedelta(hours=step),
            }
        )
    _payments(rng, rows, oid, created, total, status)
    if "shipped" in path:
        rows["shipments"].append(
            {
                "shipment_id": len(rows["shipments"]) + 1,
                "order_id": oid,
                "carrier": "UPS",
                "tracking_number": f"TRK{oid}",
                "shipped_at": created + timedelta(hours=2),
                "delivered_at": created + timedelta(days=2) if status != "shipped" else None,
            }
        )


def _payments(
    rng: random.Random,
    rows: dict[str, list[dict[str, Any]]],
    oid: int,
    created: datetime,
    total: int,
    status: str,
) -> None:
    attempts = ["failed"] * rng.choice([0, 0, 0, 1, 2])
    if status in ("paid", "shipped", "delivered"):
        attempts.append("completed")
    elif status == "refunded":
        attempts.append("refunded")
    for n, pay_status in enumerate(attempts, start=1):
        at = created + timedelta(minutes=n)
        rows["payments"].append(
            {
                "payment_id": len(rows["payments"]) + 1,
                "order_id": oid,
                "amount_cents": max(total, 1),
                "method": rng.choice(["card", "card", "paypal", "bank_transfer", "gift_card"]),
                "status": pay_status,
                "created_at": at,
                "refunded_at": at + timedelta(days=3) if pay_status == "refunded" else None,
            }
        )


_TABLES = (
    categories,
    products,
    inventory,
    users,
    orders,
    order_items,
    payments,
    order_status_history,
    shipments,
)


def load(engine: Engine, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Insert ``rows`` in one transaction, parents first."""
    with engine.begin() as conn:
        for table in _TABLES:
            if rows[table.name]:
                conn.execute(insert(table), rows[table.name])
        rebuild(conn)  # as the generator does after a bulk load
