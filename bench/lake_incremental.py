"""An incremental lake export after ``bench oltp``, against a full export of the same data.

Usage: python bench/lake_incremental.py DB_URL LAKE [--oltp-seconds S] [--rounds N]

Exports DB_URL into LAKE in full (unless LAKE already holds a lake) and copies it to
LAKE.fp. Each round runs ``shopdb bench oltp`` (8 clients, S seconds), then the
incremental export of LAKE (the change log) and of LAKE.fp (``--fingerprints``: every
month's fingerprint), alternating which goes first, and checks that both lakes hold the
same digests. Last, a ``--full`` export of the same data into LAKE.full. Prints wall
and CPU seconds (this process's, all threads: the whole export on SQLite, the client's
share on a server) and the load average before and after each.
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy.engine import make_url

from shopdb.cli import cli
from shopdb.db.engine import make_engine
from shopdb.lake.export import ExportResult, export_lake
from shopdb.lake.layout import MANIFEST, read_manifest


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def _timed(label: str, run: object) -> ExportResult:
    before, wall, cpu = _load(), time.perf_counter(), time.process_time()
    result: ExportResult = run()  # type: ignore[operator]
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"| {label} | {result.compared} | {len(result.rewritten)} | {result.rows_written:,} "
        f"| {wall:.1f} s | {cpu:.1f} s | {before} -> {_load()} |",
        flush=True,
    )
    return result


def _digests(lake: Path) -> dict[str, str]:
    manifest = read_manifest(lake)
    return {n: t.digest for n, t in manifest.tables.items() if n != "generation_runs"}


def main() -> int:
    """Run the rounds and print one table row per export."""
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("lake", type=Path)
    parser.add_argument("--oltp-seconds", default="10")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    lake, fp, full = args.lake, Path(f"{args.lake}.fp"), Path(f"{args.lake}.full")
    engine = make_engine(make_url(args.url))
    print("| export | compared | partitions written | rows written | wall | CPU | load |")
    print("|---|---|---:|---:|---:|---:|---|")
    try:
        if not (lake / MANIFEST).is_file():
            _timed("first, full", lambda: export_lake(engine, lake))
        if not (fp / MANIFEST).is_file():
            shutil.copytree(lake, fp)
        for number in range(args.rounds):
            oltp = ["--db", args.url, "bench", "oltp", "--clients", "8", "--top-up", "200"]
            ran = CliRunner().invoke(cli, [*oltp, "--duration", args.oltp_seconds])
            print(f"bench oltp (round {number + 1}): exit {ran.exit_code}", flush=True)
            runs = [
                ("incremental, change log", lambda: export_lake(engine, lake)),
                ("incremental, fingerprints", lambda: export_lake(engine, fp, fingerprints=True)),
            ]
            for label, run in runs if number % 2 == 0 else runs[::-1]:
                _timed(label, run)
            assert _digests(lake) == _digests(fp), "the two lakes differ"
        shutil.rmtree(full, ignore_errors=True)
        _timed("full (--full), same data", lambda: export_lake(engine, full, full=True))
        assert _digests(lake) == _digests(full), "the incremental lake differs from a full one"
        print("the incremental lakes equal the full export (digests)")
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
