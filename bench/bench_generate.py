"""Benchmark the generator: generation, bulk load against the driver's raw bulk path, end to end.

For each scale factor, the rows are generated once without a database (generation rate).
Then, per backend, into fresh databases:

- load: shopdb's load path (conversion to tuples or CSV, plus the driver's bulk call) for
  the generated rows, one transaction per chunk, as ``generate`` does;
- raw: the same rows converted beforehand (untimed); only the driver's bulk call is timed
  (SQLite ``executemany`` of ready tuples, PostgreSQL ``COPY`` of ready CSV bytes, MariaDB
  ``LOAD DATA LOCAL INFILE`` of ready CSV files): the baseline the load rate is compared to.
  Load and raw alternate batch by batch, into two databases, so machine load hits both;
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


def bench_load_and_raw(
    load_engine: Engine, raw_engine: Engine, batches: list[list[Frame]]
) -> tuple[float, float]:
    """Seconds of shopdb's load path, and of the driver's bulk call alone, for the batches.

    The two run batch by batch in alternation, into two databases set up alike (indexes
    dropped, load-time settings), so a busy machine slows both the same way. The load
    path converts each batch and hands it over; the raw path gets the batch converted
    beforehand (untimed) and times only the driver's bulk call.
    """
    load, raw = BulkSession(load_engine), BulkSession(raw_engine)
    load_seconds = raw_seconds = 0.0
    try:
        load.prepare()
        raw.prepare()
        for batch in batches:
            started = perf_counter()
            load.write(batch)
            load_seconds += perf_counter() - started
            ready = [prepare_frame(raw.backend, f) for f in batch if len(f)]
            started = perf_counter()
            with raw.conn.begin():
                for prepared in ready:
                    send(raw.conn, prepared)
            raw_seconds += perf_counter() - started
            for prepared in ready:
                prepared.discard()
        load.finish()
        raw.finish()
    finally:
        load.close()
        raw.close()
    return load_seconds, raw_seconds


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
                with (
                    fresh_database(backend, Path(tmp)) as load_engine,
                    fresh_database(backend, Path(tmp)) as raw_engine,
                ):
                    load, raw = bench_load_and_raw(load_engine, raw_engine, sink.batches)
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
