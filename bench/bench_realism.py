"""Measure the generator's realism at a benchmark scale: generate, then run the report.

The tests check every target at SF 0.01; this checks them again at larger scale factors
(SF 0.1 by default), where the head of the popularity curve and the busiest customers
are the most extreme, and prints how long the report's queries take.

Usage:
    python bench/bench_realism.py --scale 0.1 [--scale 1] [--seed 42]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path
from time import perf_counter

from shopdb.config import parse_database_url
from shopdb.datagen.generate import generate
from shopdb.datagen.params import make_params
from shopdb.db.admin import init_schema
from shopdb.db.engine import make_engine
from shopdb.realism import EngineSource, format_report, realism_report

END = date(2026, 12, 1)


def bench(scale: float, seed: int, workdir: Path) -> bool:
    """Generate SF ``scale`` into SQLite, print its realism report; True if all is met."""
    engine = make_engine(parse_database_url(f"sqlite:///{workdir / f'shop_{scale:g}.sqlite3'}"))
    try:
        init_schema(engine)
        started = perf_counter()
        generate(engine, make_params(seed, scale, END, 3))
        generated = perf_counter()
        report = realism_report(EngineSource(engine))
        measured = perf_counter()
    finally:
        engine.dispose()
    print(f"SF {scale:g}, seed {seed}, end {END}: generated in {generated - started:.1f} s,")
    print(f"report in {measured - generated:.1f} s")
    for line in format_report(report):
        print(f"  {line}")
    return not report.failed


def main() -> None:
    """Run the benchmark for each ``--scale``; exit 1 if any measure misses its target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, action="append", help="default: 0.1")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = [bench(s, args.seed, Path(tmp)) for s in args.scale or [0.1]]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
