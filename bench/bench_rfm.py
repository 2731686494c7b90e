"""``rfm_segments`` from RFM's groups of customers against the base tables, same run.

Usage: python bench/bench_rfm.py DB_URL [AS_OF]

The database must hold a generated shop migrated to ``customer_recency_frequency``
(0014). AS_OF (default 2026-12-01, the end of ``generate --end 2026-12-01``) should be a
midnight: only then does the rollup form read the groups (any other time it reads every
customer's ``customer_sales`` row). Prints the median ms of 5 rollup answers after one
warm-up and of 1 base answer after one warm-up, and whether both gave the same rows.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from shopdb.config import parse_database_url
from shopdb.db.engine import make_engine
from shopdb.queries import run_query


def _median_ms(call: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    call()
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, result


def main() -> int:
    """Time both forms and print them."""
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    url, as_of = sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else "2026-12-01"
    engine = make_engine(parse_database_url(url))
    answers = {}
    for source, repeat in (("rollup", 5), ("base", 1)):
        ms, answers[source] = _median_ms(
            lambda s=source: run_query(engine, "rfm_segments", source=s, as_of=as_of).rows, repeat
        )
        print(f"{engine.dialect.name:10s} rfm_segments {source:6s} {ms:9.1f} ms", flush=True)
    print("   same rows:", answers["rollup"] == answers["base"])
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
