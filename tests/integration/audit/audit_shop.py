"""A small, valid shop built by plain inserts: one order in every status.

Every row agrees with ``shopdb.lifecycle``: payments reconcile, shipments exist where
the status says so, the status history ends in the current status, and the stock
ledger (a receipt of 100 per product, sales, the returns of cancelled orders) sums to
``quantity_on_hand``. The strings exercise quoting: a comma, quotes, a backslash, a
newline, accents and a four-byte character.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from shopdb.db import schema as s
from shopdb.rollups.build import rebuild

T0 = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
RECEIPT = 100

PRICES = {1: 19999, 2: 1250, 3: 999, 4: 500}

# order_id: (user_id, status, items {product: quantity}, path of statuses after pending)
ORDERS: dict[int, tuple[int, str, dict[int, int], tuple[str, ...]]] = {
    1: (1, "pending", {1: 1, 3: 2}, ()),
    2: (1, "paid", {2: 3}, ("paid",)),
    3: (2, "shipped", {1: 1}, ("paid", "shipped")),
    4: (2, "delivered", {2: 1, 3: 1}, ("paid", "shipped", "delivered")),
    5: (3, "cancelled", {3: 4}, ("cancelled",)),
    6: (3, "cancelled", {2: 2}, ("paid", "cancelled")),
    7: (1, "refunded", {1: 1}, ("paid", "shipped", "delivered", "refunded")),
}


def order_total(order_id: int) -> int:
    """The total of an order in ``ORDERS``."""
    return sum(PRICES[p] * q for p, q in ORDERS[order_id][2].items())


def build_shop(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Insert the shop into an initialized, empty database; return the rows by table."""
    rows = shop_rows()
    with engine.begin() as conn:
        for table in (*s.DATA_TABLES, s.generation_runs):
            if rows[table.name]:
                conn.execute(insert(table), rows[table.name])
        rebuild(conn)  # as the generator does after a bulk load
    return rows


def shop_rows() -> dict[str, list[dict[str, Any]]]:
    """Every row of the shop, by table name."""
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rows["users"] = [
        _user(1, "alice@example.com", "Alice", "Martin", "FR", "Paris"),
        _user(2, "bob@example.com", "Bob", "O'Brien", "IE", 'Cork, "rebel" county'),
        _user(3, "zoe@example.com", "Zoë 🙂", "Back\\slash", None, None),
    ]
    rows["categories"] = [
        {"category_id": 1, "name": "Electronics", "parent_id": None},
        {"category_id": 2, "name": "Phones", "parent_id": 1},
        {"category_id": 3, "name": "Books", "parent_id": None},
    ]
    names = {1: "Phone X", 2: "Novel\nin two lines", 3: 'Cable, 2 m "braided"', 4: "Sticker"}
    categories = {1: 2, 2: 3, 3: 1, 4: 1}
    for product_id, price in PRICES.items():
        rows["products"].append(
            {
                "product_id": product_id,
                "category_id": categories[product_id],
                "sku": f"SKU-{product_id:04d}",
                "name": names[product_id],
                "price_cents": price,
                "created_at": T0,
                "brand": None if product_id == 4 else "Acme",
            }
        )
        _move(rows, product_id, RECEIPT, "receipt", None, T0)
    for order_id in ORDERS:
        _order(rows, order_id)
    stock: dict[int, int] = defaultdict(int)
    for movement in rows["inventory_movements"]:
        stock[movement["product_id"]] += movement["quantity_delta"]
    rows["inventory"] = [
        {"product_id": p, "quantity_on_hand": stock[p], "reorder_level": 5, "updated_at": T0}
        for p in PRICES
    ]
    rows["generation_runs"] = [
        {
            "run_id": 1,
            "seed": 42,
            "scale_factor": "0.001",
            "end_date": "2024-03-01",
            "years": 1,
            "generator_version": "test",
            "library_versions": "faker 1.0, numpy 2.0",
            "status": "complete",
            "started_at": T0,
            "finished_at": T0 + HOUR,
        }
    ]
    return rows


def _user(user_id: int, email: str, first: str, last: str, country: str | None, city: str | None):
    return {
        "user_id": user_id,
        "email": email,
        "first_name": first,
        "last_name": last,
        "created_at": T0 + user_id * HOUR,
        "country_code": country,
        "city": city,
    }


def _order(rows: dict[str, list[dict[str, Any]]], order_id: int) -> None:
    user_id, status, items, path = ORDERS[order_id]
    placed = T0 + order_id * DAY
    total = order_total(order_id)
    rows["orders"].append(
        {
            "order_id": order_id,
            "user_id": user_id,
            "status": status,
            "created_at": placed,
            "total_cents": total,
            "updated_at": placed + len(path) * HOUR,
            "ship_country_code": "FR",
            "ship_city": "Paris",
        }
    )
    for product_id, quantity in items.items():
        rows["order_items"].append(
            {
                "order_item_id": len(rows["order_items"]) + 1,
                "order_id": order_id,
                "product_id": product_id,
                "quantity": quantity,
                "unit_price_cents": PRICES[product_id],
            }
        )
        _move(rows, product_id, -quantity, "sale", order_id, placed)
    _history(rows, order_id, None, "pending", placed)
    previous = "pending"
    for step, target in enumerate(path, start=1):
        at = placed + step * HOUR
        _history(rows, order_id, previous, target, at)
        _apply(rows, order_id, target, total, at)
        previous = target
    if status == "pending":  # a declined card: failed attempts are allowed while pending
        _pay(rows, order_id, total, "failed", placed + 5 * timedelta(minutes=1))


def _apply(rows: dict[str, list[dict[str, Any]]], order_id: int, target: str, total: int, at):
    if target == "paid":
        if order_id == 4:  # a failed attempt before the success
            _pay(rows, order_id, total, "failed", at - timedelta(minutes=10))
        _pay(rows, order_id, total, "completed", at)
    elif target == "shipped":
        rows["shipments"].append(
            {
                "shipment_id": len(rows["shipments"]) + 1,
                "order_id": order_id,
                "carrier": "DHL",
                "tracking_number": f"TRK{order_id:06d}",
                "shipped_at": at,
                "delivered_at": None,
            }
        )
    elif target == "delivered":
        rows["shipments"][-1]["delivered_at"] = at
    elif target in ("cancelled", "refunded"):
        for payment in rows["payments"]:
            if payment["order_id"] == order_id and payment["status"] == "completed":
                payment["status"] = "refunded"
                payment["refunded_at"] = at
        if target == "cancelled":
            for item in [i for i in rows["order_items"] if i["order_id"] == order_id]:
                _move(rows, item["product_id"], item["quantity"], "return", order_id, at)


def _pay(rows: dict[str, list[dict[str, Any]]], order_id: int, amount: int, status: str, at):
    rows["payments"].append(
        {
            "payment_id": len(rows["payments"]) + 1,
            "order_id": order_id,
            "amount_cents": amount,
            "method": "card",
            "status": status,
            "created_at": at,
            "refunded_at": None,
            "idempotency_key": f"key-{len(rows['payments']) + 1}",
        }
    )


def _history(rows, order_id: int, from_status: str | None, to_status: str, at) -> None:
    rows["order_status_history"].append(
        {
            "history_id": len(rows["order_status_history"]) + 1,
            "order_id": order_id,
            "from_status": from_status,
            "to_status": to_status,
            "changed_at": at,
        }
    )


def _move(rows, product_id: int, delta: int, reason: str, order_id: int | None, at) -> None:
    rows["inventory_movements"].append(
        {
            "movement_id": len(rows["inventory_movements"]) + 1,
            "product_id": product_id,
            "quantity_delta": delta,
            "reason": reason,
            "order_id": order_id,
            "created_at": at,
        }
    )
