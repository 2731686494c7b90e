"""After a run: every acknowledged order exists with exactly the items it was placed with."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.engine import Engine

from shopdb.db.schema import order_items
from shopdb.workload.clients import Ack

_CHUNK = 500


def missing_acknowledged(engine: Engine, acks: list[Ack]) -> list[int]:
    """The ids of acknowledged orders that are absent or whose items differ from the ack."""
    wrong: list[int] = []
    with engine.connect() as conn:
        for start in range(0, len(acks), _CHUNK):
            chunk = acks[start : start + _CHUNK]
            stored: dict[int, dict[int, int]] = defaultdict(dict)
            rows = conn.execute(
                select(
                    order_items.c.order_id, order_items.c.product_id, order_items.c.quantity
                ).where(order_items.c.order_id.in_([order_id for order_id, _ in chunk]))
            )
            for order_id, product_id, quantity in rows:
                stored[int(order_id)][int(product_id)] = int(quantity)
            wrong.extend(order_id for order_id, items in chunk if stored.get(order_id) != items)
    return wrong
