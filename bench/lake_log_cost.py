"""What the lake's change log costs the OLTP path: ``bench oltp``'s mix with the log
and without it, alternating in one run.

Usage: python bench/lake_log_cost.py DB_URL [--clients N] [--slice-s S] [--rounds R]

After a warm-up slice (half as long, not counted), each round runs the default mix
(``workload.clients.DEFAULT_MIX``) for S seconds with
the log, then S seconds without (``lake_log.LOG_OPTION``), the order swapped every
other round, topping stock up before each slice. Prints committed transactions per
second of each slice and the totals. The slices without the log leave it incomplete,
so the script discards the log's epoch at the end: the next export of any lake of this
database compares fingerprints.
"""

from __future__ import annotations

import argparse
import os

from sqlalchemy.engine import make_url

from shopdb.db.engine import make_engine
from shopdb.db.lake_log import LOG_OPTION, discard_epoch
from shopdb.workload.catalog import load_catalog, top_up
from shopdb.workload.clients import DEFAULT_MIX, KINDS, parse_mix, run_clients


def main() -> int:
    """Run the rounds and print one line per slice, then the totals."""
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--slice-s", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    engine = make_engine(make_url(args.url))
    try:
        catalog = load_catalog(engine)
        mix = parse_mix(DEFAULT_MIX)
        sides = [("log", engine), ("no log", engine.execution_options(**{LOG_OPTION: False}))]
        totals = {name: 0 for name, _ in sides}
        # a first slice warms the caches and the pool; it is not counted
        run_clients(engine, catalog, mix, args.clients, args.slice_s / 2, seed=3)
        for number in range(args.rounds):
            for name, target in sides if number % 2 == 0 else sides[::-1]:
                top_up(engine, catalog, 200)
                load = os.getloadavg()[0]
                phase, _ = run_clients(
                    target, catalog, mix, args.clients, args.slice_s, seed=number * 2 + 7
                )
                done = sum(phase.stats(kind).committed for kind in KINDS)
                totals[name] += done
                print(
                    f"round {number + 1} {name:>6}: {done / args.slice_s:8.1f} tx/s "
                    f"({phase.errors} errors, load {load:.1f})",
                    flush=True,
                )
        seconds = args.rounds * args.slice_s
        for name, done in totals.items():
            print(f"total {name:>6}: {done / seconds:8.1f} tx/s")
        print(f"no log / log: {totals['no log'] / max(totals['log'], 1):.3f}")
        with engine.begin() as conn:
            discard_epoch(conn)
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
