"""The transactional benchmark of docs/services.md, on one database.

Usage: python bench/oltp.py DB_URL [SECONDS]

The database must hold a shop (``shopdb generate`` or ``shopdb bench seed``). Runs the
two documented configurations through ``shopdb bench oltp``: 8 clients with the
bare-driver baseline measured in the same run, then the hot spot (10 products, 32
clients). Each prints its figures and exits non-zero if the audit or the
acknowledged-order check fails.
"""

from __future__ import annotations

import sys

import click

from shopdb.cli import cli


def main() -> int:
    """Run both configurations; return the worst exit code."""
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    url, seconds = sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else "10"
    runs = [
        ["bench", "oltp", "--clients", "8", "--duration", seconds, "--top-up", "200"],
        [
            "bench",
            "oltp",
            "--clients",
            "32",
            "--duration",
            seconds,
            "--hot-products",
            "10",
            "--no-compare",
        ],
    ]
    worst = 0
    for args in runs:
        print(f"$ shopdb --db {url} {' '.join(args)}", flush=True)
        try:
            code = cli.main(["--db", url, *args], prog_name="shopdb", standalone_mode=False)
        except click.ClickException as exc:
            exc.show()
            code = exc.exit_code
        worst = max(worst, int(code or 0))
    return worst


if __name__ == "__main__":
    sys.exit(main())
