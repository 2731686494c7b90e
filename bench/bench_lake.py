"""Each catalogue query on the row stores (base tables) and on the lake, side by side.

Usage::

    python bench/bench_lake.py --lake DIR [--db URL ...] [--spark] [--spark-queries a,b]
        [--spark-memory 1g] [--repeat N] [--queries a,b] [--limit-s S] [--markdown]
        [--baseline-sql OTHER/src/shopdb/queries/sql]

Every ``--db`` database and the lake must hold the same shop (``shopdb lake export``
from one of them, or ``generate --to-lake`` with the same parameters). Each query runs
once; when that took less than a second it runs ``--repeat`` more times and the best
time is printed (so a fast query is timed warm, a slow one is not run again). A query
still running after ``--limit-s`` seconds is stopped (the row stores' statement
timeout, ``db/timeouts.py``; Spark's jobs are cancelled) and printed as ``>S``.

The rows of every engine are compared with DuckDB's (``same``: every engine that
finished gave DuckDB's rows). The last column is DuckDB's speed-up over the fastest row
store, for the queries that scan order items (the issue's goal: at least 10x on those,
and every DuckDB query within ``--duck-goal-s``). ``duckdb cpu`` is the CPU seconds
DuckDB's threads spent on its best run (this process's): on a shared machine it moves
far less with the load than the wall time. A same-run baseline comes first:
``count(*)`` of order_items on every engine.

``--baseline-sql`` names another checkout's query folder: DuckDB also runs that SQL
(its fragments expanded by this checkout) on the same lake, just before this
checkout's, and its wall and CPU seconds are printed as ``before`` columns with its
rows compared too: a before / after of SQL changes in one run, on one lake.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from shopdb.config import parse_database_url
from shopdb.db.backend import backend_name
from shopdb.db.engine import make_engine
from shopdb.db.schema import order_items
from shopdb.db.timeouts import is_timeout, statement_timeout
from shopdb.lake.duck import DuckLake
from shopdb.lake.layout import LakeError
from shopdb.lake.reading import normalize, run_lake_query
from shopdb.queries import QUERIES, fragments, run_query
from shopdb.queries.runner import bind_values

ITEM_SCANS = (
    "best_selling_products",
    "revenue_by_category",
    "category_growth",
    "frequently_bought_together",
    "low_inventory",
)
"""The queries that read every row of order_items."""

TIMED_OUT = math.inf
WARM_BELOW_S = 1.0


class Stopped(Exception):
    """The query hit the time limit."""


def _timed(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The query's time (best of the warm runs when the first was fast) and its result."""
    best, _, result = _timed_cpu(run, repeat)
    return best, result


def _timed_cpu(run: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Like ``_timed``, with this process's CPU seconds for the least of those runs.

    On a shared machine the wall time of an in-process engine (DuckDB) mostly measures
    the wait for a core; its CPU time moves far less with the load.
    """
    started, cpu = time.perf_counter(), time.process_time()
    result = run()
    best, best_cpu = time.perf_counter() - started, time.process_time() - cpu
    if best >= WARM_BELOW_S:
        return best, best_cpu, result
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        result = run()
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best, best_cpu, result


def _on_row_store(engine: Engine, name: str, params: dict[str, Any], limit_s: float) -> Any:
    with engine.connect() as conn:
        try:
            # PostgreSQL's timeout is LOCAL: it needs the transaction open first
            with conn.begin(), statement_timeout(conn, limit_s):
                return run_query(conn, name, source="base", **params)
        except DBAPIError as exc:
            if is_timeout(exc):
                raise Stopped from None
            raise


def _on_spark(spark_lake: Any, name: str, params: dict[str, Any], limit_s: float) -> Any:
    context = spark_lake.session.sparkContext
    timer = threading.Timer(limit_s, context.cancelAllJobs)
    timer.start()
    started = time.perf_counter()
    try:
        return run_lake_query(spark_lake, name, **params)
    except LakeError:
        if time.perf_counter() - started >= limit_s:
            raise Stopped from None
        raise
    finally:
        timer.cancel()


def _on_duck_baseline(duck: DuckLake, folder: Path, name: str, params: dict[str, Any]) -> Any:
    """Rows of the baseline checkout's ``name.sql`` on DuckDB."""
    text = (folder / f"{name}.sql").read_text(encoding="utf-8")
    sql = fragments.expand(text, "duckdb").strip().rstrip(";")
    _, rows = duck.fetch(sql, bind_values(QUERIES[name], params))
    return [tuple(normalize(v) for v in row) for row in rows]


def _measure(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    try:
        return _timed(run, repeat)
    except Stopped:
        return TIMED_OUT, None


def _baseline(engines: list[Engine], duck: DuckLake, spark_lake: Any) -> list[float]:
    """Seconds for ``count(*)`` of order_items on every engine, warm."""
    out = []
    for engine in engines:

        def count(engine: Engine = engine) -> Any:
            with engine.connect() as conn:
                return conn.execute(select(func.count()).select_from(order_items)).scalar_one()

        out.append(_timed(count, 2)[0])
    out.append(_timed(lambda: duck.fetch("select count(*) from order_items", {}), 2)[0])
    if spark_lake is not None:
        sql = "select count(*) from order_items"
        out.append(_timed(lambda: spark_lake.fetch(sql, {}), 2)[0])
    return out


def _cell(seconds: float, limit_s: float) -> str:
    if seconds == TIMED_OUT:
        return f">{limit_s:g}"
    return "-" if math.isnan(seconds) else f"{seconds:.3f}"


class Bench:
    """The engines of one run, and the goals each query missed."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.engines = [make_engine(parse_database_url(url)) for url in args.db]
        self.duck = DuckLake(args.lake)
        self.spark_lake: Any = None
        if args.spark:
            from shopdb.lake.spark import SparkLake, spark_session

            work = Path(tempfile.mkdtemp(prefix="shopdb-bench-spark-"))
            session = spark_session(work, master=args.spark_master, memory=args.spark_memory)
            self.spark_lake = SparkLake(session, args.lake)
        self.missed: list[str] = []

    def labels(self) -> list[str]:
        names = [backend_name(e) for e in self.engines]
        return [n if n != "mysql" else "mariadb" for n in names]

    def row(self, name: str, on_spark: bool) -> str:
        """Run ``name`` on every engine; its table row."""
        args = self.args
        params = {"as_of": args.as_of} if QUERIES[name].param("as_of") else {}
        times, rows = [], []
        for engine in self.engines:
            run = partial(_on_row_store, engine, name, params, args.limit_s)
            seconds, result = _measure(run, args.repeat)
            times.append(seconds)
            rows.append(None if result is None else result.rows)
        before: list[str] = []
        if args.baseline_sql is not None:
            run = partial(_on_duck_baseline, self.duck, args.baseline_sql, name, params)
            old_s, old_cpu, old_rows = _timed_cpu(run, args.repeat)
            before = [f"{old_s:.3f}", f"{old_cpu:.3f}"]
            rows.append(old_rows)
        duck_s, duck_cpu, duck_result = _timed_cpu(
            partial(run_lake_query, self.duck, name, **params), args.repeat
        )
        times.append(duck_s)
        if self.spark_lake is not None:
            seconds, result = math.nan, None
            if on_spark:
                run = partial(_on_spark, self.spark_lake, name, params, args.limit_s)
                seconds, result = _measure(run, 0)
            times.append(seconds)
            rows.append(None if result is None else result.rows)
        same = all(r == duck_result.rows for r in rows if r is not None)
        ratio = self._check(name, times[: len(self.engines)], duck_s, same)
        cells = [_cell(t, args.limit_s) for t in times]
        cells.insert(len(self.engines) + 1, f"{duck_cpu:.3f}")
        cells[len(self.engines) : len(self.engines)] = before
        return f"| {name} | " + " | ".join(cells) + f" | {same} | {ratio} |"

    def _check(self, name: str, row_stores: list[float], duck_s: float, same: bool) -> str:
        """Note the goals ``name`` missed; DuckDB's speed-up over the fastest row store."""
        if duck_s > self.args.duck_goal_s:
            self.missed.append(f"{name}: DuckDB {duck_s:.2f} s > {self.args.duck_goal_s:g} s")
        if not same:
            self.missed.append(f"{name}: rows differ between engines")
        if not row_stores or name not in ITEM_SCANS:
            return ""
        fastest = min(row_stores)
        if fastest == TIMED_OUT:
            return f">{self.args.limit_s / duck_s:.0f}"
        if fastest / duck_s < 10:
            self.missed.append(f"{name}: DuckDB only {fastest / duck_s:.1f}x the fastest row store")
        return f"{fastest / duck_s:.1f}"

    def close(self) -> None:
        self.duck.close()
        for engine in self.engines:
            engine.dispose()


def main() -> None:
    """Run the comparison and print one line per query, then the goals missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lake", required=True, type=Path)
    parser.add_argument("--db", action="append", default=[], metavar="URL")
    parser.add_argument("--spark", action="store_true", help="Also run Spark.")
    parser.add_argument("--spark-master", default="local[*]")
    parser.add_argument("--spark-queries", default="", help="Only these on Spark.")
    parser.add_argument("--spark-memory", default="1g", help="Spark's driver memory (local).")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--queries", default="", help="Comma-separated names (default all).")
    parser.add_argument("--skip", default="", help="Comma-separated names not to run.")
    parser.add_argument("--as-of", default="2026-12-01")
    parser.add_argument("--limit-s", type=float, default=300.0, help="Per query and engine.")
    parser.add_argument("--duck-goal-s", type=float, default=1.0)
    parser.add_argument("--baseline-sql", type=Path, help="Another checkout's queries/sql.")
    args = parser.parse_args()
    skip = set(args.skip.split(",")) if args.skip else set()
    names = [n for n in (args.queries.split(",") if args.queries else QUERIES) if n not in skip]
    on_spark = set(args.spark_queries.split(",")) if args.spark_queries else set(names)
    bench = Bench(args)
    try:
        before = ["duckdb before", "before cpu"] if args.baseline_sql is not None else []
        header = ["query", *bench.labels(), *before, "duckdb", "duckdb cpu"]
        header += ["spark"] if args.spark else []
        header += ["same", "x"]
        print("| " + " | ".join(header) + " |")
        print("|---" * len(header) + "|", flush=True)
        base = _baseline(bench.engines, bench.duck, bench.spark_lake)
        cells = [f"{t:.3f}" for t in base]
        cells.insert(len(bench.engines) + 1, "")
        cells[len(bench.engines) : len(bench.engines)] = ["", ""] if before else []
        print("| count(*) order_items | " + " | ".join(cells) + " | | |")
        for name in names:
            print(bench.row(name, name in on_spark), flush=True)
        print("goals missed: " + ("; ".join(bench.missed) if bench.missed else "none"))
    finally:
        bench.close()


if __name__ == "__main__":
    main()
