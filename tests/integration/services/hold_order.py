"""Run by test_faults: place an order and stop inside its transaction until killed.

Usage: python hold_order.py DB_URL USER_ID PRODUCT_ID. Prints ``holding`` once the order,
its items and its stock decrement are written but not committed, then sleeps.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from sqlalchemy import event

from shopdb.config import parse_database_url
from shopdb.db.engine import make_engine
from shopdb.services import place_order


def main() -> None:
    url, user_id, product_id = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    engine = make_engine(parse_database_url(url))

    @event.listens_for(engine, "before_cursor_execute")
    def hold(*args: Any) -> None:
        if args[2].lstrip().upper().startswith("INSERT INTO INVENTORY_MOVEMENTS"):
            print("holding", flush=True)
            time.sleep(120)

    place_order(engine, user_id, {product_id: 1})


if __name__ == "__main__":
    main()
