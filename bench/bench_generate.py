"""Benchmark the generator: generation, bulk load against the driver's raw bulk path, end to end.

For each scale factor, the rows are generated once without a database (generation rate).
Then, per backend, into fresh databases:

- load: shopdb's load path (conversion to tuples or CSV, plus the driver's bulk call) for
  the generated rows, one transaction per chunk, as ``generate`` does;
- raw: the same rows converted beforehand (untimed); only the driver's bulk call is timed
  (SQLite ``executemany`` of ready tuples, PostgreSQL ``COPY`` of ready CSV bytes, MariaDB
  ``LOAD DATA LOCAL INFILE`` of ready CSV files): the baseline the load rate is compared to;
- end to end: ``generate()`` on an empty schema, including index builds and ANALYZE.

Usage:
    python bench/bench_generate.py --scale 0.1 --scale 1 --backend sqlite --jobs 2
"""

from __future__ import annotations

import argparse
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from time import perf_counter

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Engine

from shopdb.config import parse_database_url
from shopdb.datagen.frames import Frame
from shopdb.datagen.generate import generate, load_shop
from shopdb.datagen.load import BulkSession, prepare_frame, send
from shopdb.datagen.params import make_params
from shopdb.datagen.pipeline import plan
from shopdb.db.admin import init_schema
from shopdb.db.engine import make_engine

SERVERS = {
    "mysql": "mysql://root@127.0.0.1:3306/mysql",
    "postgresql": "postgresql://postgres@127.0.0.1:5432/postgres",
}
END = date(2025, 11, 26)


class Collector:
    """A sink that keeps the generated batches in memory."""

    def __init__(self) -> None:
        self.batches: list[list[Frame]] = []

    def write(self, frames: list[Frame]) -> None:
        self.batches.append(frames)

    @property
    def rows(self) -> int:
        return sum(len(f) for batch in self.batches for f in batch)


@contextmanager
def fresh_database(backend: str, workdir: Path) -> Iterator[Engine]:
    """An engine on a new database holding the empty schema; dropped afterwards."""
    if backend == "sqlite":
        url = parse_database_url(f"sqlite:///{workdir / f'{uuid.uuid4().hex}.sqlite3'}")
        name = None
    else:
        name = f"datagen_bench_{uuid.uuid4().hex[:8]}"
        _server(
            backend,
            f'create database "{name}"'
            if backend == "postgresql"
            else f"create database `{name}` character set utf8mb4",
        )
        url = parse_database_url(SERVERS[backend]).set(database=name)
    engine = make_engine(url)
    try:
        init_schema(engine)
        yield engine
    finally:
        engine.dispose()
        if name is not None:
            _server(
                backend,
                f'drop database "{name}" with (force)'
                if backend == "postgresql"
                else f"drop database `{name}`",
            )


def _server(backend: str, statement: str) -> None:
    url: URL = parse_database_url(SERVERS[backend])
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(statement))
    finally:
        admin.dispose()


def bench_load(engine: Engine, batches: list[list[Frame]]) -> float:
    """Seconds shopdb's load path takes for the batches (indexes dropped, as generate does)."""
    session = BulkSession(engine)
    try:
        session.prepare()
        started = perf_counter()
        for batch in batches:
            session.write(batch)
        seconds = perf_counter() - started
        session.restore()
    finally:
        session.close()
    return seconds


def bench_raw(engine: Engine, batches: list[list[Frame]]) -> float:
    """Seconds the driver's bulk call alone takes, fed rows converted beforehand."""
    session = BulkSession(engine)
    seconds = 0.0
    try:
        session.prepare()
        for batch in batches:
            ready = [prepare_frame(session.backend, f) for f in batch if len(f)]
            started = perf_counter()
            with session.conn.begin():
                for prepared in ready:
                    send(session.conn, prepared)
            seconds += perf_counter() - started
            for prepared in ready:
                prepared.discard()
        session.restore()
    finally:
        session.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, action="append", help="default: 0.1 and 1")
    parser.add_argument("--backend", action="append", choices=["sqlite", "mysql", "postgresql"])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    scales = args.scale or [0.1, 1.0]
    backends = args.backend or ["sqlite", "mysql", "postgresql"]
    print(f"jobs={args.jobs} seed={args.seed} end={END}")
    header = f"{'SF':>6} {'backend':<11} {'rows':>11} {'gen rows/s':>11} {'load rows/s':>12} "
    print(header + f"{'raw rows/s':>11} {'load/raw':>8} {'e2e s':>8}")
    with tempfile.TemporaryDirectory(prefix="shopdb-bench-") as tmp:
        for scale in scales:
            params = make_params(args.seed, scale, END, 3)
            sink = Collector()
            started = perf_counter()
            load_shop(sink, plan(params), args.jobs, lambda table, rows: None)
            gen_seconds = perf_counter() - started
            rows = sink.rows
            for backend in backends:
                with fresh_database(backend, Path(tmp)) as engine:
                    load = bench_load(engine, sink.batches)
                with fresh_database(backend, Path(tmp)) as engine:
                    raw = bench_raw(engine, sink.batches)
                with fresh_database(backend, Path(tmp)) as engine:
                    started = perf_counter()
                    generate(engine, params, jobs=args.jobs)
                    e2e = perf_counter() - started
                print(
                    f"{scale:>6g} {backend:<11} {rows:>11,} {rows / gen_seconds:>11,.0f} "
                    f"{rows / load:>12,.0f} {rows / raw:>11,.0f} {raw / load:>8.0%} {e2e:>8.1f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
