"""The dashboard's range cards over ranges, from the rollups against the base tables,
same run: ``revenue_by_country`` and ``repeat_purchase_rate`` (the rollups migration 0016
adds), ``top_customers`` (its 20 best), ``customer_lifetime_value`` (from
``customer_sales``, exact in every service transaction), ``category_growth`` (both
periods as signed spans of the product rollups) and ``new_vs_returning_revenue``
(``sales_daily``'s first orders, migration 0017, with the customer rollups).

Usage: python bench/bench_range_cards.py DB_URL [END [QUERY ...]]

The database must hold a generated shop migrated to 0017. END (default 2026-12-01, the
end of ``generate --end 2026-12-01``) is the day after the ranges' last: the last 365
days and the last 30 days before it (``until`` is the inclusive last day, END - 1), a
past half-year (2024-03-05 to 2024-09-17, read by its own days) and all history. QUERY names
the queries to time (default: all of them). For each, prints the median ms of 5 rollup
answers after one warm-up, 1 base answer after one warm-up, and whether both gave the
same rows; and the load average before and after.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from shopdb.config import parse_database_url
from shopdb.db.engine import make_engine
from shopdb.queries import run_query

QUERIES = (
    "revenue_by_country",
    "repeat_purchase_rate",
    "top_customers",
    "customer_lifetime_value",
    "category_growth",
    "new_vs_returning_revenue",
)
PARAMS: dict[str, dict[str, Any]] = {"top_customers": {"limit": 20}}


def _median_ms(call: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    call()
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, result


def _ranges(end: date) -> list[tuple[str, dict[str, Any]]]:
    return [
        # a date until is the last day counted, inclusive
        ("365 days", {"since": end - timedelta(days=365), "until": end - timedelta(days=1)}),
        ("30 days", {"since": end - timedelta(days=30), "until": end - timedelta(days=1)}),
        ("past half-year", {"since": date(2024, 3, 5), "until": date(2024, 9, 17)}),
        ("all history", {}),
    ]


def main() -> int:
    """Time both forms over each range and print them."""
    names = sys.argv[3:] or QUERIES
    if len(sys.argv) < 2 or not set(names) <= set(QUERIES):
        usage = next(line for line in __doc__.splitlines() if line.startswith("Usage:"))
        print(usage, "; QUERY one of", ", ".join(QUERIES), file=sys.stderr)
        return 2
    url = sys.argv[1]
    end = date.fromisoformat(sys.argv[2]) if len(sys.argv) >= 3 else date(2026, 12, 1)
    engine = make_engine(parse_database_url(url))
    print(f"load average {os.getloadavg()[0]:.2f}", flush=True)
    for name in names:
        for label, rng in _ranges(end):
            answers = {}
            for source, repeat in (("rollup", 5), ("base", 1)):
                ms, answers[source] = _median_ms(
                    lambda s=source, r=rng, n=name: run_query(
                        engine, n, source=s, **r, **PARAMS.get(n, {})
                    ),
                    repeat,
                )
                line = f"{engine.dialect.name:10s} {name:23s} {label:15s} {source:6s} {ms:9.1f} ms"
                print(line, flush=True)
            print("   same rows:", answers["rollup"] == answers["base"], flush=True)
    print(f"load average {os.getloadavg()[0]:.2f}", flush=True)
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
