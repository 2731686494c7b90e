"""Every catalogue query once on a database that holds a shop, the way ``shopdb query``
runs it (``--source auto``: rollups where they answer), with a time limit per query.

    .venv/bin/python bench/bench_catalogue.py --db mysql://root@127.0.0.1/shopdb_sf1

Queries that take ``as_of`` get the day after the latest order. Each query runs once
to warm the caches and once timed; on MariaDB a query still running after
``--limit-s`` seconds is stopped (``max_statement_time``) and reported as such. The
same run times ``select 1`` and ``count(*)`` of orders as baselines.
"""

from __future__ import annotations

import argparse
import time
from datetime import timedelta

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from shopdb.config import parse_database_url
from shopdb.db.backend import MYSQL, backend_name
from shopdb.db.engine import make_engine
from shopdb.db.schema import orders
from shopdb.queries import QUERIES, run_query
from shopdb.queries.runner import bind_values, get_query
from shopdb.queries.sources import use_rollup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--limit-s", type=float, default=120.0)
    args = parser.parse_args()
    engine = make_engine(parse_database_url(args.db))
    try:
        with engine.connect() as conn:
            last = conn.execute(select(func.max(orders.c.created_at))).scalar_one()
            started = time.perf_counter()
            conn.execute(text("select 1")).all()
            one = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            conn.execute(select(func.count()).select_from(orders)).scalar_one()
            scan = (time.perf_counter() - started) * 1000
        as_of = (last + timedelta(days=1)).date().isoformat()
        print(f"baselines: select 1 {one:.1f} ms, count orders {scan:.1f} ms")
        print("| query | source | ms |")
        print("|---|---|---:|")
        for name in QUERIES:
            params = {"as_of": as_of} if get_query(name).param("as_of") else {}
            source = (
                "rollup"
                if use_rollup(name, bind_values(get_query(name), params), "auto")
                else "base"
            )
            with engine.connect() as conn:
                if backend_name(conn) == MYSQL:
                    conn.exec_driver_sql(f"set session max_statement_time = {args.limit_s}")
                try:
                    run_query(conn, name, **params)
                    started = time.perf_counter()
                    run_query(conn, name, **params)
                    took = f"{(time.perf_counter() - started) * 1000:.1f}"
                except DBAPIError as exc:
                    took = f"stopped after {args.limit_s:g} s ({type(exc.orig).__name__})"
                    conn.rollback()
            print(f"| {name} | {source} | {took} |", flush=True)
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
