"""The dashboard's questions from the rollups against the same answers from the base
tables, in the same run, over the last 30 days, the last year and all of history.

Runs against databases that already hold a generated shop (``--db URL``, repeatable),
so one SF 1 load serves every run:

    .venv/bin/python bench/bench_rollups.py --db sqlite:////path/sf1.sqlite3 \\
        --db mysql://root@127.0.0.1/shopdb_sf1 --db postgresql://postgres@127.0.0.1/shopdb_sf1

"Today" is the day after the latest order, so the ranges hold data whatever the
generator's end date. Each rollup answer runs once to warm up, then ``--repeat`` times;
each base answer ``--base-repeat`` times (they take seconds at SF 1). Printed: median ms
of each, their ratio, and whether both gave the same rows. Questions no rollup answers
(unpaid orders; top customers over a range) are timed from the base
tables only, and say so. The server settings the run used are printed first.

``--old-session`` also times each rollup answer the way ``run_query`` ran before its
round trips were cut (a pre-ping on every checkout, a transaction, ``set local jit =
off`` on PostgreSQL, a rollback), alternating with the current way call by call so both
see the same load; ``select 1`` on a pooled connection is printed as the one-round-trip
baseline.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import Connection, Engine

from shopdb.config import parse_database_url
from shopdb.db.backend import backend_name
from shopdb.db.engine import make_engine
from shopdb.db.schema import orders
from shopdb.queries import run_query
from shopdb.queries.runner import bind_values, get_query
from shopdb.queries.sources import use_rollup

QUESTIONS = (
    ("total revenue", "total_revenue", {}),
    ("monthly revenue", "monthly_revenue", {}),
    ("AOV", "average_order_value", {}),
    ("top customers", "top_customers", {"limit": 10}),
    ("best sellers", "best_selling_products", {"limit": 10}),
    ("revenue by category", "revenue_by_category", {}),
    ("low inventory", "low_inventory", {}),
    ("status funnel", "order_status_funnel", {}),
    ("refund/cancel rates", "refund_and_cancellation_rates", {}),
    ("payment methods", "payment_method_mix", {}),
    ("unpaid orders", "unpaid_orders", {}),
)
SETTINGS = {
    "mysql": (
        "innodb_buffer_pool_size",
        "tmp_table_size",
        "max_heap_table_size",
        "join_buffer_size",
        "sort_buffer_size",
    ),
    "postgresql": ("shared_buffers", "work_mem", "effective_cache_size", "jit"),
}


def settings(conn: Connection) -> str:
    """The server settings that matter for analytics, as ``name=value`` pairs."""
    backend = backend_name(conn)
    if backend == "mysql":
        names = SETTINGS["mysql"]
        listed = ", ".join(f"'{n}'" for n in names)
        rows = conn.execute(text(f"show global variables where variable_name in ({listed})")).all()
        return ", ".join(
            f"{n}={int(v) // 2**10:,} KiB" if v.isdigit() else f"{n}={v}" for n, v in rows
        )
    if backend == "postgresql":
        return ", ".join(
            f"{n}={conn.execute(text(f'show {n}')).scalar_one()}" for n in SETTINGS["postgresql"]
        )
    return "in-process (page cache)"


def ranges(today: date, first: date) -> dict[str, dict[str, Any]]:
    """The three ranges: bounds for range queries, windows for as_of queries."""
    return {
        "30 days": {"since": today - timedelta(days=30), "until": today - timedelta(days=1)},
        "1 year": {"since": today - timedelta(days=365), "until": today - timedelta(days=1)},
        "all time": {},
    }


def window(name: str, rng: str, today: date, first: date) -> dict[str, Any]:
    """The parameters of an as_of query for a range."""
    days = {"30 days": 30, "1 year": 365, "all time": (today - first).days + 1}[rng]
    if name == "low_inventory":
        return {"as_of": today.isoformat(), "window_days": min(days, 3650)}
    return {"as_of": today.isoformat()}


def timed(call: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median milliseconds of ``repeat`` runs after one warm-up, and the last result."""
    result = call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def timed_pair(
    first: Callable[[], Any], second: Callable[[], Any], repeat: int
) -> tuple[float, float, Any]:
    """Median ms of ``first`` and of ``second``, run alternately; ``first``'s last result."""
    result = first()
    second()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for call, into in ((first, times[0]), (second, times[1])):
            started = time.perf_counter()
            answer = call()
            into.append((time.perf_counter() - started) * 1000)
            if call is first:
                result = answer
    return statistics.median(times[0]), statistics.median(times[1]), result


def _call(engine: Engine, name: str, source: str, params: dict[str, Any]) -> Callable[[], Any]:
    return lambda: run_query(engine, name, source=source, **params)


def _old_call(engine: Engine, name: str, params: dict[str, Any]) -> Callable[[], Any]:
    """The rollup answer as ``run_query`` sent it before: ``engine`` pings on checkout."""

    def call() -> Any:
        with engine.connect() as conn:
            if backend_name(conn) == "postgresql":
                conn.exec_driver_sql("set local jit = off")
            return run_query(conn, name, source="rollup", **params)

    return call


def round_trip_ms(engine: Engine, repeat: int) -> float:
    """Median ms of ``select 1`` on a pooled connection: one round trip and the pool."""

    def call() -> None:
        with engine.connect() as conn:
            conn.exec_driver_sql("select 1").scalar_one()

    return timed(call, repeat * 10)[0]


def bench(engine: Engine, repeat: int, base_repeat: int, old: Engine | None = None) -> None:
    with engine.connect() as conn:
        print(f"\n## {engine.url.render_as_string(hide_password=True)}")
        print(f"settings: {settings(conn)}")
        first_at, last_at = conn.execute(
            select(func.min(orders.c.created_at), func.max(orders.c.created_at))
        ).one()
        count = conn.execute(select(func.count()).select_from(orders)).scalar_one()
    today = last_at.date() + timedelta(days=1)
    print(f"{count:,} orders from {first_at.date()} to {last_at.date()}; today = {today}")
    print(f"baseline: select 1 on a pooled connection {round_trip_ms(engine, repeat):.2f} ms")
    old_head = ("", "") if old is None else (" old session ms | old / now |", "---:|---:|")
    print(f"| question | range | rollup ms |{old_head[0]} base ms | base / rollup | same rows |")
    print(f"|---|---|---:|{old_head[1]}---:|---:|---|")
    for label, name, extra in QUESTIONS:
        spec = get_query(name)
        for rng, bounds in ranges(today, first_at.date()).items():
            params = dict(extra)
            if spec.param("since") is not None:
                params |= {k: v.isoformat() for k, v in bounds.items()}
            else:
                params |= window(name, rng, today, first_at.date())
            has_rollup = use_rollup(name, bind_values(spec, params), "auto")
            base_ms, base = timed(_call(engine, name, "base", params), base_repeat)
            if not has_rollup:
                print(f"| {label} | {rng} | (no rollup) | {base_ms:.1f} | - | - |")
                continue
            now = _call(engine, name, "rollup", params)
            then = ""
            if old is None:
                roll_ms, roll = timed(now, repeat)
            else:
                roll_ms, old_ms, roll = timed_pair(now, _old_call(old, name, params), repeat)
                then = f" {old_ms:.2f} | {old_ms / roll_ms:.1f}x |"
            same = "yes" if roll == base else "**NO**"
            ratio = base_ms / roll_ms
            print(
                f"| {label} | {rng} | {roll_ms:.2f} |{then} {base_ms:.1f} | {ratio:.0f}x | {same} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", required=True, help="a database holding a shop")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--base-repeat", type=int, default=3)
    parser.add_argument(
        "--old-session",
        action="store_true",
        help="also time each rollup answer with the session run_query had before (same run)",
    )
    args = parser.parse_args()
    for url in args.db:
        engine = make_engine(parse_database_url(url))
        old = make_engine(parse_database_url(url), pool_pre_ping=True) if args.old_session else None
        try:
            bench(engine, args.repeat, args.base_repeat, old)
        finally:
            engine.dispose()
            if old is not None:
                old.dispose()


if __name__ == "__main__":
    main()
