"""Client CPU of one place-and-pay with rollup maintenance and without, same run.

Usage: python bench/rollup_cost.py DB_URL [ORDERS]

The database must hold a shop with stock (``shopdb bench seed``). One thread places and
pays ORDERS orders (default 600) in 12 alternating batches, maintenance off
(``shopdb_rollups=False``) and on, and prints the median CPU time (``process_time``)
of a place-and-pay for each side and their ratio. On SQLite the database's own work is
in this process too, so the ratio is the whole cost; on a server it is the client's.
Unlike ``bench oltp``'s throughput this is barely moved by the machine's load. The
orders stay (run ``shopdb rollups rebuild`` after, or ``shopdb check`` fails the
rollup checks for the unmaintained half).
"""

from __future__ import annotations

import random
import statistics
import sys
import time

from sqlalchemy.engine import Engine

from shopdb.config import parse_database_url
from shopdb.db.engine import make_engine
from shopdb.rollups.maintain import MAINTAIN_OPTION
from shopdb.services import pay_order, place_order
from shopdb.workload.catalog import Catalog, load_catalog


def _batch(engine: Engine, catalog: Catalog, count: int, rng: random.Random) -> float:
    """CPU milliseconds per place-and-pay over ``count`` of them."""
    started = time.process_time()
    for _ in range(count):
        order = place_order(engine, rng.choice(catalog.user_ids), catalog.basket(rng))
        pay_order(engine, order, None, "card")
    return (time.process_time() - started) / count * 1000


def main() -> None:
    url = sys.argv[1]
    orders = int(sys.argv[2]) if len(sys.argv) > 2 else 600
    engine = make_engine(parse_database_url(url))
    catalog = load_catalog(engine)
    off = engine.execution_options(**{MAINTAIN_OPTION: False})
    rng = random.Random(1)
    _batch(engine, catalog, 20, rng)  # warm-up: compiled statements, pool
    _batch(off, catalog, 20, rng)
    sides: dict[str, list[float]] = {"off": [], "on": []}
    for _ in range(6):
        sides["off"].append(_batch(off, catalog, orders // 12, rng))
        sides["on"].append(_batch(engine, catalog, orders // 12, rng))
    off_ms, on_ms = statistics.median(sides["off"]), statistics.median(sides["on"])
    print(f"CPU per place+pay: without rollups {off_ms:.2f} ms, with {on_ms:.2f} ms")
    print(f"without / with = {off_ms / on_ms:.0%} (throughput with maintenance, CPU-bound)")


if __name__ == "__main__":
    main()
