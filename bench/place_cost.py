"""Wall time and client CPU of one place-order, services vs the bare driver, one thread.

Usage: python bench/place_cost.py DB_URL [ORDERS]

The database must hold a shop with stock (``shopdb generate``, ``shopdb bench seed``).
Both sides place ORDERS orders (default 300) for user 1 from the same basket generator;
the orders stay (they are real orders, consistent for ``shopdb check``).
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable

from shopdb.config import parse_database_url
from shopdb.db.engine import make_engine
from shopdb.services import place_order
from shopdb.workload.baseline import connect, place_raw
from shopdb.workload.catalog import load_catalog


def _measure(label: str, place: Callable[[], object], count: int) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        place()
    wall_ms = (time.perf_counter() - wall) * 1000 / count
    cpu_ms = (time.process_time() - cpu) * 1000 / count
    print(f"{label:12} wall {wall_ms:6.2f} ms, client CPU {cpu_ms:5.2f} ms per order")


def main() -> int:
    """Warm both paths up, then time each."""
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    url = parse_database_url(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) == 3 else 300
    engine = make_engine(url, pool_pre_ping=False)
    catalog, rng = load_catalog(engine), random.Random(1)
    user = catalog.user_ids[0]
    conn, backend = connect(url), url.get_backend_name()
    try:
        for _ in range(20):
            place_order(engine, user, catalog.basket(rng))
            place_raw(conn, backend, user, catalog.basket(rng))
        _measure("services", lambda: place_order(engine, user, catalog.basket(rng)), count)
        _measure("bare driver", lambda: place_raw(conn, backend, user, catalog.basket(rng)), count)
    finally:
        conn.close()
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
