"""Latency of every analytics query on each backend and scale factor, with the plans.

For each backend and scale factor: a fresh database, ``shopdb init``, then
``shopdb generate --scale SF --seed N`` (the generator), then every query run once to
warm the caches and ``--repeat`` times timed; the median and the fastest run are
printed in milliseconds, next to a same-run baseline (``select 1``: one round trip, and
``count(*)`` of orders: one scan). Each query's plan (``shopdb query NAME --explain``)
goes to ``--plans DIR/<backend>-sf<SF>/<name>.txt``. After loading, the planner's
statistics are refreshed (``ANALYZE``), as after any bulk load; ``--extra-indexes`` first
adds the indexes 1-3 proposed in docs/queries-bench.md, to measure them together;
``--extra-index N`` adds only the N-th (repeatable; 4 is a later candidate).

    .venv/bin/python bench/bench_queries.py                      # SF 0.1 and 1, all backends
    .venv/bin/python bench/bench_queries.py --scale 0.01 --backend sqlite

``--data synthetic`` loads the query tests' seeded random shop instead of the generator's
(``--orders`` orders), for trying the benchmark where the generator is missing; its
figures are not the baseline.

Databases it makes on the servers are named ``analytics_bench_*`` and dropped at the end.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench_rollups import settings
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Engine

from shopdb.cli import cli
from shopdb.config import parse_database_url
from shopdb.db.engine import make_engine
from shopdb.queries import QUERIES, explain, run_query

SERVERS = {
    "mysql": "mysql://root@127.0.0.1:3306/mysql",
    "postgresql": "postgresql://postgres@127.0.0.1:5432/postgres",
}
AS_OF_PARAMS = ("low_inventory", "unpaid_orders", "rfm_segments")


@contextmanager
def database(backend: str, name: str, scratch: Path) -> Iterator[URL]:
    """A new empty database, dropped afterwards."""
    if backend == "sqlite":
        yield parse_database_url(f"sqlite:///{scratch / (name + '.sqlite3')}")
        return
    server = parse_database_url(SERVERS[backend])
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    create = {
        "mysql": f"create database `{name}` character set utf8mb4",
        "postgresql": f"create database \"{name}\" template template0 encoding 'UTF8' "
        "lc_collate 'C' lc_ctype 'C'",
    }
    drop = {
        "mysql": f"drop database if exists `{name}`",
        "postgresql": f'drop database if exists "{name}" with (force)',
    }
    try:
        with admin.connect() as conn:
            conn.execute(text(drop[backend]))
            conn.execute(text(create[backend]))
        yield server.set(database=name)
    finally:
        with admin.connect() as conn:
            conn.execute(text(drop[backend]))
        admin.dispose()


def fill(url: URL, scale: str, args: argparse.Namespace) -> float:
    """Create the schema and load the shop; return the seconds the load took."""
    db = url.render_as_string(hide_password=False)
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", db, "init"])
    if result.exit_code != 0:
        raise SystemExit(f"init failed on {url.get_backend_name()}: {result.output}")
    started = time.perf_counter()
    if args.data == "synthetic":
        sys.path.insert(
            0, str(Path(__file__).resolve().parents[1] / "tests" / "integration" / "queries")
        )
        import analytics_random_shop as random_shop

        engine = make_engine(url)
        try:
            n_orders = args.orders
            random_shop.load(engine, random_shop.build(args.seed, max(n_orders // 6, 10), n_orders))
        finally:
            engine.dispose()
    else:
        if "generate" not in cli.commands:  # type: ignore[attr-defined]
            raise SystemExit("the generator (shopdb generate) is not here: merge datagen first")
        command = ["--db", db, "generate", "--scale", scale, "--seed", str(args.seed)]
        result = runner.invoke(cli, [*command, "--end", args.end])
        if result.exit_code != 0:
            raise SystemExit(f"generate failed: {result.output}")
    return time.perf_counter() - started


ANALYZE = {
    "sqlite": ["analyze"],
    "mysql": [
        "analyze table users, categories, products, inventory, orders, order_items, payments,"
        " order_status_history, shipments, inventory_movements"
    ],
    "postgresql": ["analyze"],
}
# indexes proposed for the schema (see docs/queries-bench.md); --extra-indexes adds them
EXTRA_INDEXES = [
    "create index ix_bench_orders_recognized on orders (status, created_at, user_id, total_cents)",
    "create index ix_bench_items_product"
    " on order_items (product_id, order_id, quantity, unit_price_cents)",
    "create index ix_bench_items_order"
    " on order_items (order_id, product_id, quantity, unit_price_cents)",
    "create index ix_bench_orders_customer on orders (user_id, status, created_at, total_cents)",
]


def prepare(url: URL, extra_indexes: list[int]) -> None:
    """Add the proposed indexes asked for (1-based), then refresh the planner's statistics."""
    backend = url.get_backend_name()
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            for number in extra_indexes:
                conn.execute(text(EXTRA_INDEXES[number - 1]))
            conn.commit()
            for sql in ANALYZE[backend]:
                result = conn.execute(text(sql))
                if result.returns_rows:  # MariaDB answers ANALYZE TABLE with a status table
                    result.all()
            conn.commit()
    finally:
        engine.dispose()


def timed(engine: Engine, name: str, repeat: int, params: dict[str, object]) -> list[float]:
    """Milliseconds of ``repeat`` runs after one warm-up run."""
    run_query(engine, name, **params)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run_query(engine, name, **params)
        times.append((time.perf_counter() - started) * 1000)
    return times


def baseline(engine: Engine, repeat: int) -> dict[str, list[float]]:
    """The same-run baselines: one round trip, and one count of orders."""
    out: dict[str, list[float]] = {}
    for label, sql in (
        ("(select 1)", "select 1"),
        ("(count orders)", "select count(*) from orders"),
    ):
        with engine.connect() as conn:
            conn.execute(text(sql)).all()
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                conn.execute(text(sql)).all()
                times.append((time.perf_counter() - started) * 1000)
        out[label] = times
    return out


def bench_one(url: URL, args: argparse.Namespace, scale: str) -> dict[str, list[float]]:
    """Every query's timings on one loaded database; plans written on the way."""
    backend = url.get_backend_name()
    engine = make_engine(url)
    plans = Path(args.plans) / f"{backend}-sf{scale}"
    plans.mkdir(parents=True, exist_ok=True)
    try:
        as_of = _as_of(engine)
        results = baseline(engine, args.repeat)
        for name in QUERIES:
            params: dict[str, object] = {"as_of": as_of} if QUERIES[name].param("as_of") else {}
            results[name] = timed(engine, name, args.repeat, params)
            median = statistics.median(results[name])
            print(f"#   {backend} SF {scale} {name}: {median:.1f} ms", flush=True)
            (plans / f"{name}.txt").write_text("\n".join(explain(engine, name, **params)) + "\n")
        return results
    finally:
        engine.dispose()


def _as_of(engine: Engine) -> object:
    from shopdb.report import data_as_of

    return data_as_of(engine)


def report(table: dict[str, dict[str, list[float]]], backends: list[str]) -> str:
    """Median (fastest) milliseconds per query and backend, as a Markdown table."""
    names = list(next(iter(table.values())))
    lines = ["| query | " + " | ".join(backends) + " |", "|---|" + "---:|" * len(backends)]
    for name in names:
        cells = [
            f"{statistics.median(table[b][name]):.1f} ({min(table[b][name]):.1f})" for b in backends
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def server_settings(url: URL) -> str:
    """The server settings the run measured under (bench_rollups lists which)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return settings(conn)
    finally:
        engine.dispose()


def main() -> None:
    """Parse the options, run every backend at every scale, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", action="append", help="scale factor (repeatable; 0.1 and 1)")
    parser.add_argument("--backend", action="append", choices=["sqlite", "mysql", "postgresql"])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--end", default="2026-01-01", help="generate --end (fixed: same rows)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--plans", default="bench/plans")
    parser.add_argument("--data", choices=["generator", "synthetic"], default="generator")
    parser.add_argument(
        "--extra-indexes",
        action="store_true",
        help="add proposed indexes 1-3 after loading (the set first measured together)",
    )
    parser.add_argument(
        "--extra-index",
        type=int,
        action="append",
        choices=range(1, len(EXTRA_INDEXES) + 1),
        help="add only the proposed index N (numbered as in docs/queries-bench.md); repeatable",
    )
    parser.add_argument("--orders", type=int, default=20000, help="orders for --data synthetic")
    args = parser.parse_args()
    scales = args.scale or ["0.1", "1"]
    extra = [1, 2, 3] if args.extra_indexes else args.extra_index or []
    backends = args.backend or ["sqlite", "mysql", "postgresql"]
    with tempfile.TemporaryDirectory(prefix="analytics_bench_") as scratch:
        for scale in scales:
            table: dict[str, dict[str, list[float]]] = {}
            for backend in backends:
                name = f"analytics_bench_sf{scale.replace('.', '_')}"
                with database(backend, name, Path(scratch)) as url:
                    load_s = fill(url, scale, args)
                    print(f"# {backend} SF {scale}: loaded in {load_s:.1f} s", flush=True)
                    print(f"# {backend} settings: {server_settings(url)}", flush=True)
                    prepare(url, extra)
                    table[backend] = bench_one(url, args, scale)
            print(f"\n## SF {scale}: median (fastest) ms of {args.repeat} runs after a warm-up\n")
            print(report(table, backends), flush=True)


if __name__ == "__main__":
    main()
