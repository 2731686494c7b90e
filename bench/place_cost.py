"""Cost of one place-order: services, SQLAlchemy's execution path alone, bare driver.

Usage: python bench/place_cost.py DB_URL [ROUNDS] [THREADS]

The database must hold a shop with stock (``shopdb generate``, ``shopdb bench seed``).
Three ways of placing the same kind of order (baskets from one generator) run in turn
for ROUNDS rounds (default 15), and each prints its median. With THREADS 0 (default):
client CPU per order, 60 orders for user 1 per batch, one thread. With THREADS N:
throughput of N threads for 2 seconds per batch, random users, as ``bench oltp``
measures it (``bench seed --stock`` should leave enough units for every round):

- ``services``: ``shopdb.services.place_order``.
- ``sqlalchemy floor``: the bare driver's SQL strings, run through
  ``Connection.exec_driver_sql`` inside the services' ``run_in_transaction``: no Core
  compilation and no type processing, only SQLAlchemy's execution path and pool: the
  least any implementation can cost that sends these statements through a SQLAlchemy
  Connection.
- ``bare driver``: ``workload.baseline.place_raw``, the ``bench oltp`` yardstick.

The orders stay (they are real orders, consistent for ``shopdb check``).
"""

from __future__ import annotations

import random
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import URL, Connection, CursorResult, Engine

from shopdb.config import parse_database_url
from shopdb.db.backend import backend_of
from shopdb.db.engine import make_engine
from shopdb.services import place_order, run_in_transaction
from shopdb.workload.baseline import connect, place_raw, write_order
from shopdb.workload.catalog import Catalog, load_catalog

BATCH = 60
SECONDS = 2.0


class _ConnectionCursor:
    """A DBAPI-cursor look-alike that sends every statement through exec_driver_sql."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._result: CursorResult[Any] | None = None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._result = self._conn.exec_driver_sql(sql, tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._result = self._conn.exec_driver_sql(sql, [tuple(row) for row in rows])

    def fetchone(self) -> Any:
        assert self._result is not None
        return self._result.fetchone()

    def fetchall(self) -> Any:
        assert self._result is not None
        return self._result.fetchall()

    @property
    def rowcount(self) -> int:
        assert self._result is not None
        return self._result.rowcount

    @property
    def lastrowid(self) -> Any:
        assert self._result is not None
        return self._result.lastrowid


Placer = Callable[[random.Random, Any], object]
"""Places one order: takes the client's random source and its bare connection."""


def _placers(engine: Engine, catalog: Catalog, user: int | None) -> dict[str, Placer]:
    backend = backend_of(engine)
    mark = backend.placeholder

    def buyer(rng: random.Random) -> int:
        return user if user is not None else rng.choice(catalog.user_ids)

    def floor(rng: random.Random, _conn: Any) -> int:
        items, buyer_id = sorted(catalog.basket(rng).items()), buyer(rng)
        now = datetime.now(UTC).replace(tzinfo=None)
        return run_in_transaction(
            engine,
            lambda c: write_order(
                _ConnectionCursor(c), lambda q: q.replace("?", mark), backend, buyer_id, items, now
            ),
        )

    return {
        "services": lambda rng, _conn: place_order(engine, buyer(rng), catalog.basket(rng)),
        "sqlalchemy floor": floor,
        "bare driver": lambda rng, conn: place_raw(conn, backend, buyer(rng), catalog.basket(rng)),
    }


def _cpu_ms(place: Placer, rng: random.Random, conn: Any) -> float:
    started = time.process_time()
    for _ in range(BATCH):
        place(rng, conn)
    return (time.process_time() - started) * 1000 / BATCH


def _tx_per_s(place: Placer, engine: Engine, threads: int) -> float:
    deadline = time.perf_counter() + SECONDS
    counts = [0] * threads

    def client(i: int) -> None:
        rng, conn = random.Random(i), connect(engine)
        try:
            while time.perf_counter() < deadline:
                place(rng, conn)
                counts[i] += 1
        finally:
            conn.close()

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(counts) / SECONDS


def main() -> int:
    """Warm every path up, then measure them in alternating batches."""
    if len(sys.argv) not in (2, 3, 4):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    url = parse_database_url(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) >= 3 else 15
    threads = int(sys.argv[3]) if len(sys.argv) == 4 else 0
    # each thread holds a bare connection and checks another out for the services
    engine = make_engine(url, pool_pre_ping=False, pool_size=2 * max(threads, 1) + 2)
    catalog = load_catalog(engine)
    paths = _placers(engine, catalog, None if threads else catalog.user_ids[0])
    rng, conn = random.Random(1), connect(engine)
    figures: dict[str, list[float]] = {name: [] for name in paths}
    try:
        for place in paths.values():
            for _ in range(20):
                place(rng, conn)
        for _ in range(rounds):
            for name, place in paths.items():
                figure = _tx_per_s(place, engine, threads) if threads else _cpu_ms(place, rng, conn)
                figures[name].append(figure)
    finally:
        conn.close()
        engine.dispose()
    _print(url, rounds, threads, figures)
    return 0


def _print(url: URL, rounds: int, threads: int, figures: dict[str, list[float]]) -> None:
    bare = statistics.median(figures["bare driver"])
    if threads:
        print(
            f"{url.get_backend_name()}: place-order tx/s of {threads} threads, median of {rounds}"
        )
    else:
        print(f"{url.get_backend_name()}: client CPU per order, median of {rounds} x {BATCH}")
    for name, values in figures.items():
        median = statistics.median(values)
        ratio = median / bare if threads else bare / median
        unit = "tx/s" if threads else "ms"
        print(f"  {name:17} {median:7.2f} {unit:4}   {ratio:4.0%} of the bare driver")


if __name__ == "__main__":
    sys.exit(main())
