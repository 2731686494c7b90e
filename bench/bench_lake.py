"""Each catalogue query on the row stores (base tables) and on the lake, side by side.

Usage::

    python bench/bench_lake.py --lake DIR [--db URL ...] [--spark] [--spark-queries a,b]
        [--repeat N] [--queries a,b]

Every ``--db`` database and the lake must hold the same shop (``shopdb lake export``
from one of them, or ``generate --to-lake`` with the same parameters). Each query runs
``--repeat`` times per engine after one warm-up run; the best time is printed, and the
rows of every engine are compared with the first database's (or DuckDB's, without one).
The last columns are DuckDB's speed-up over the fastest row store, for the queries that
scan order items first (the issue's goal: at least 10x on those).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from shopdb.config import parse_database_url
from shopdb.db.backend import backend_name
from shopdb.db.engine import make_engine
from shopdb.lake.duck import DuckLake
from shopdb.lake.reading import run_lake_query
from shopdb.queries import QUERIES, run_query

ITEM_SCANS = (
    "best_selling_products",
    "revenue_by_category",
    "category_growth",
    "frequently_bought_together",
    "low_inventory",
)
"""The queries that read every row of order_items."""


def _best(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    result = run()  # warm-up: caches, JIT, Spark's plan
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    """Run the comparison and print one line per query."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lake", required=True, type=Path)
    parser.add_argument("--db", action="append", default=[], metavar="URL")
    parser.add_argument("--spark", action="store_true", help="Also run Spark local[*].")
    parser.add_argument("--spark-queries", default="", help="Only these on Spark.")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--queries", default="", help="Comma-separated names (default all).")
    parser.add_argument("--as-of", default="2026-12-01")
    args = parser.parse_args()
    names = args.queries.split(",") if args.queries else list(QUERIES)
    engines = [make_engine(parse_database_url(url)) for url in args.db]
    labels = [backend_name(e) for e in engines]
    duck = DuckLake(args.lake)
    spark_lake = None
    if args.spark:
        from shopdb.lake.spark import SparkLake, spark_session

        work = Path(tempfile.mkdtemp(prefix="shopdb-bench-spark-"))
        spark_lake = SparkLake(spark_session(work, memory="2g"), args.lake)
        on_spark = set(args.spark_queries.split(",")) if args.spark_queries else set(names)
    header = ["query", *labels, "duckdb", *(["spark"] if spark_lake else []), "same", "x"]
    print("  ".join(f"{h:>12}" if i else f"{h:<30}" for i, h in enumerate(header)), flush=True)
    for name in names:
        params = {"as_of": args.as_of} if QUERIES[name].param("as_of") else {}
        times, rows = [], []
        for engine in engines:
            seconds, result = _best(
                partial(run_query, engine, name, source="base", **params), args.repeat
            )
            times.append(seconds)
            rows.append(result.rows)
        seconds, result = _best(partial(run_lake_query, duck, name, **params), args.repeat)
        duck_time = seconds
        times.append(seconds)
        rows.append(result.rows)
        if spark_lake is not None:
            if name in on_spark:
                seconds, result = _best(partial(run_lake_query, spark_lake, name, **params), 1)
                times.append(seconds)
                rows.append(result.rows)
            else:
                times.append(float("nan"))
        same = all(r == rows[0] for r in rows)
        fastest = min(times[: len(engines)]) if engines else float("nan")
        ratio = f"{fastest / duck_time:.1f}" if engines and name in ITEM_SCANS else ""
        cells = [f"{t:12.3f}" for t in times]
        print(f"{name:<30}  " + "  ".join(cells) + f"  {same!s:>12}  {ratio:>12}", flush=True)
    duck.close()
    for engine in engines:
        engine.dispose()


if __name__ == "__main__":
    main()
