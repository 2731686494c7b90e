"""Time ``shopdb check``, ``checksum`` and ``export`` on existing shop databases.

Usage (each URL a database already filled by ``shopdb generate``):

    .venv/bin/python bench/audit_bench.py --db sqlite:///shop.sqlite3 --db mysql://... \\
        [--export-dir /tmp/x]

Prints, per database: the seconds each check takes, the whole audit, the checksum and
each export format, and as the same-run baseline the raw read: every data table
streamed through the driver in primary-key order with no rendering (what checksum and
export cannot beat).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from shopdb.audit import CHECKS, run_checks
from shopdb.checksum import table_checksums
from shopdb.config import parse_database_url
from shopdb.db.backend import backend_name
from shopdb.db.engine import make_engine
from shopdb.db.schema import DATA_TABLES
from shopdb.db.snapshot import read_snapshot
from shopdb.export import export_database


def raw_read(engine) -> int:
    """Stream every data table in key order through the driver; return the row count."""
    count = 0
    with read_snapshot(engine) as conn:
        for table in DATA_TABLES:
            query = select(*table.columns).order_by(*table.primary_key.columns)
            result = conn.execute(query, execution_options={"yield_per": 10_000})
            for chunk in result.partitions():
                count += len(chunk)
    return count


def timed(action):
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def bench(url_text: str, export_root: Path) -> None:
    engine = make_engine(parse_database_url(url_text))
    name = backend_name(engine)
    try:
        seconds, rows = timed(lambda: raw_read(engine))
        print(f"[{name}] baseline raw read      {seconds:7.2f} s  {rows / seconds:>12,.0f} rows/s")
        for check in CHECKS:
            seconds, results = timed(lambda c=check: run_checks(engine, [c.name]))
            verdict = "ok" if results[0].passed else f"FAIL {results[0].violation_count}"
            print(f"[{name}] check {check.name:<34} {seconds:7.2f} s  {verdict}")
        seconds, results = timed(lambda: run_checks(engine))
        passed = sum(r.passed for r in results)
        print(f"[{name}] check (all, one snapshot) {seconds:7.2f} s  {passed}/{len(results)} ok")
        seconds, sums = timed(lambda: table_checksums(engine))
        total = sum(c.row_count for c in sums.values())
        print(f"[{name}] checksum               {seconds:7.2f} s  {total / seconds:>12,.0f} rows/s")
        for fmt in ("csv", "parquet", "sql"):
            out = export_root / f"{name}-{fmt}"
            seconds, files = timed(lambda f=fmt, o=out: export_database(engine, f, o))
            rows = sum(f.row_count for f in files)
            size = sum(f.path.stat().st_size for f in files) / 1e6
            print(
                f"[{name}] export {fmt:<8}        {seconds:7.2f} s  {rows / seconds:>12,.0f} rows/s"
                f"  {size:,.0f} MB"
            )
            shutil.rmtree(out)
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", required=True, help="a filled shop database")
    parser.add_argument("--export-dir", type=Path, default=None, help="scratch folder for exports")
    args = parser.parse_args()
    root = args.export_dir or Path(tempfile.mkdtemp(prefix="shopdb-audit-bench-"))
    try:
        for url in args.db:
            bench(url, root)
    finally:
        if args.export_dir is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
