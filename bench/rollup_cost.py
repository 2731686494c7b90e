"""CPU of one place-and-pay with rollup maintenance and without, same run.

Usage: python bench/rollup_cost.py DB_URL [ORDERS]

The database must hold a shop with stock (``shopdb bench seed``). One thread places and
pays ORDERS orders (default 600) in 12 alternating batches, maintenance off
(``shopdb_rollups=False``) and on, and prints the median CPU time of a place-and-pay
for each side and their ratio: the client's (``process_time``) and, where the server
runs on this machine and its processes are readable under /proc, the server's for the
benchmark's own connections (the MariaDB thread or PostgreSQL backend serving each,
from ``/proc/PID/task/TID/schedstat``), so neither includes other users of the server.
On SQLite the database's own work is in this process. With 8 clients on 2 CPUs
``bench oltp``'s throughput follows the sum, so the ratio of the sums predicts its
``place+pay`` ratio, barely moved by the machine's load. The orders stay (run ``shopdb
rollups rebuild`` after, or ``shopdb check`` fails the rollup checks for the
unmaintained half).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from shopdb.config import parse_database_url
from shopdb.db.backend import MYSQL, POSTGRESQL, backend_name
from shopdb.db.engine import make_engine
from shopdb.rollups.maintain import MAINTAIN_OPTION
from shopdb.services import pay_order, place_order
from shopdb.workload.catalog import Catalog, load_catalog

_SERVER_THREAD = {
    MYSQL: "select tid from information_schema.processlist where id = connection_id()",
    POSTGRESQL: "select pg_backend_pid()",
}


class ServerCpu:
    """Server CPU of this process's connections: the thread (MariaDB) or process
    (PostgreSQL) serving each, read from /proc; None where not readable."""

    def __init__(self, engine: Engine) -> None:
        self.paths: list[Path] = []
        query = _SERVER_THREAD.get(backend_name(engine))
        if query is None:
            return
        with engine.connect() as conn:
            self.server_pid = _server_pid(conn.exec_driver_sql(query).scalar_one(), engine)

        @event.listens_for(engine, "connect")
        def _found(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute(query)
            serving = cursor.fetchone()[0]
            cursor.close()
            path = self._path(serving)
            if path is not None:
                self.paths.append(path)

        engine.dispose()  # every pooled connection reconnects through the listener

    def _path(self, serving: int) -> Path | None:
        for path in (
            Path(f"/proc/{self.server_pid}/task/{serving}/schedstat"),
            Path(f"/proc/{serving}/schedstat"),
        ):
            if path.exists():
                return path
        return None

    def ms(self) -> float | None:
        """Milliseconds of CPU the connections' server threads have used so far."""
        if not self.paths:
            return None
        return sum(int(p.read_text().split()[0]) for p in self.paths) / 1e6


def _server_pid(serving: int, engine: Engine) -> int:
    """The MariaDB server's process id (its threads are tasks of it), or ``serving``."""
    if backend_name(engine) != MYSQL:
        return serving
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if (status.parent / "task" / str(serving)).exists():
                return int(status.parent.name)
        except OSError:
            continue
    return serving


def _batch(
    engine: Engine, catalog: Catalog, count: int, rng: random.Random, server: ServerCpu
) -> tuple[float, float | None]:
    """Client and server CPU milliseconds per place-and-pay over ``count`` of them."""
    started, served = time.process_time(), server.ms()
    for _ in range(count):
        order = place_order(engine, rng.choice(catalog.user_ids), catalog.basket(rng))
        pay_order(engine, order, None, "card")
    client = (time.process_time() - started) / count * 1000
    after = server.ms()
    return client, None if after is None or served is None else (after - served) / count


def main() -> None:
    url = sys.argv[1]
    orders = int(sys.argv[2]) if len(sys.argv) > 2 else 600
    engine = make_engine(parse_database_url(url))
    catalog = load_catalog(engine)
    server = ServerCpu(engine)
    off = engine.execution_options(**{MAINTAIN_OPTION: False})
    rng = random.Random(1)
    _batch(engine, catalog, 20, rng, server)  # warm-up: compiled statements, pool
    _batch(off, catalog, 20, rng, server)
    sides: dict[str, list[tuple[float, float | None]]] = {"off": [], "on": []}
    for _ in range(6):
        sides["off"].append(_batch(off, catalog, orders // 12, rng, server))
        sides["on"].append(_batch(engine, catalog, orders // 12, rng, server))
    client = {side: statistics.median(c for c, _ in runs) for side, runs in sides.items()}
    print(
        f"client CPU per place+pay: without rollups {client['off']:.2f} ms, "
        f"with {client['on']:.2f} ms"
    )
    print(f"client without / with = {client['off'] / client['on']:.0%}")
    if all(s is not None for runs in sides.values() for _, s in runs):
        srv = {side: statistics.median(s or 0.0 for _, s in runs) for side, runs in sides.items()}
        print(f"server CPU per place+pay: without {srv['off']:.2f} ms, with {srv['on']:.2f} ms")
        both = {side: client[side] + srv[side] for side in sides}
        print(
            f"client + server: without {both['off']:.2f} ms, with {both['on']:.2f} ms, "
            f"without / with = {both['off'] / both['on']:.0%} (throughput with maintenance)"
        )
    engine.dispose()


if __name__ == "__main__":
    main()
