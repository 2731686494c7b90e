"""Client CPU of one place-order: services, SQLAlchemy's execution path alone, bare driver.

Usage: python bench/place_cost.py DB_URL [ROUNDS]

The database must hold a shop with stock (``shopdb generate``, ``shopdb bench seed``).
Three ways of placing the same kind of order (user 1, baskets from one generator) run in
turn, 60 orders each, for ROUNDS rounds (default 15), and each prints the median:

- ``services``: ``shopdb.services.place_order``.
- ``sqlalchemy floor``: the bare driver's SQL strings, run through
  ``Connection.exec_driver_sql`` inside the services' ``run_in_transaction``: no Core
  compilation and no type processing, only SQLAlchemy's execution path and pool. No
  implementation that executes its statements through a SQLAlchemy Connection can cost
  less client CPU than this.
- ``bare driver``: ``workload.baseline.place_raw``, the ``bench oltp`` yardstick.

The orders stay (they are real orders, consistent for ``shopdb check``).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Connection, CursorResult

from shopdb.config import parse_database_url
from shopdb.db.engine import make_engine
from shopdb.services import place_order
from shopdb.services._tx import run_in_transaction
from shopdb.workload.baseline import _write_order, connect, place_raw
from shopdb.workload.catalog import load_catalog

BATCH = 60


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


def main() -> int:
    """Warm every path up, then time them in alternating batches."""
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    url = parse_database_url(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) == 3 else 15
    engine = make_engine(url, pool_pre_ping=False)
    catalog, rng = load_catalog(engine), random.Random(1)
    user = catalog.user_ids[0]
    conn = connect(url)
    backend = url.get_backend_name()
    backend = "mysql" if backend == "mariadb" else backend
    mark = "?" if backend == "sqlite" else "%s"

    def floor() -> int:
        items = sorted(catalog.basket(rng).items())
        now = datetime.now(UTC).replace(tzinfo=None)
        return run_in_transaction(
            engine,
            lambda c: _write_order(
                _ConnectionCursor(c), lambda q: q.replace("?", mark), backend, user, items, now
            ),
        )

    paths: dict[str, Callable[[], object]] = {
        "services": lambda: place_order(engine, user, catalog.basket(rng)),
        "sqlalchemy floor": floor,
        "bare driver": lambda: place_raw(conn, backend, user, catalog.basket(rng)),
    }
    cpu_ms: dict[str, list[float]] = {name: [] for name in paths}
    try:
        for place in paths.values():
            for _ in range(20):
                place()
        for _ in range(rounds):
            for name, place in paths.items():
                started = time.process_time()
                for _ in range(BATCH):
                    place()
                cpu_ms[name].append((time.process_time() - started) * 1000 / BATCH)
    finally:
        conn.close()
        engine.dispose()
    bare = statistics.median(cpu_ms["bare driver"])
    print(f"{backend}: client CPU per order, median of {rounds} batches of {BATCH}")
    for name, values in cpu_ms.items():
        median = statistics.median(values)
        print(f"  {name:17} {median:5.2f} ms   bare driver / this = {bare / median:4.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
