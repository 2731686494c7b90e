"""Start-up time of the ``shopdb`` command: ``--version`` and ``--help``.

Usage: python bench/cli_start.py [ROUNDS] [--against SRC]

Each command runs ROUNDS times (default 15) as a new process, interleaved round by round
with two baselines measured in the same run, so that a loaded machine slows all of them
alike:

- ``python -c pass``: the interpreter alone (and the site-packages it scans);
- ``import click, sqlalchemy``: the two libraries every shopdb command needs.

It prints, for each, the median and the fastest wall time and the median CPU time (user +
system, which a busy machine inflates much less than the wall time), and the load
average. ``--against SRC`` also runs both commands on another checkout's ``src`` folder
(first on ``PYTHONPATH``), in the same rounds: a before/after in the same conditions, e.g.
``git archive OLD src | tar -x -C /tmp/old`` then ``--against /tmp/old/src``. The goal:
``shopdb --version`` and ``shopdb --help`` under 0.5 s. The test that keeps heavy imports
out of the start-up path is tests/unit/test_cli_start.py.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

SHOPDB = str(Path(sys.executable).with_name("shopdb"))
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "import click, sqlalchemy": [sys.executable, "-c", "import click, sqlalchemy"],
    "shopdb --version": [SHOPDB, "--version"],
    "shopdb --help": [SHOPDB, "--help"],
}


def _seconds(argv: list[str], env: dict[str, str] | None) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``argv``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _commands(against: str | None) -> dict[str, tuple[list[str], dict[str, str] | None]]:
    """Each measured command's argv and environment (None: this process's)."""
    commands: dict[str, tuple[list[str], dict[str, str] | None]] = {
        name: (argv, None) for name, argv in COMMANDS.items()
    }
    if against is not None:
        env = {**os.environ, "PYTHONPATH": against}
        for option in ("--version", "--help"):
            commands[f"shopdb {option} (against)"] = ([SHOPDB, option], env)
    return commands


def main() -> None:
    args = sys.argv[1:]
    against = None
    if "--against" in args:
        at = args.index("--against")
        against = str(Path(args[at + 1]).resolve())
        del args[at : at + 2]
        print(f"against: {against}")
    rounds = int(args[0]) if args else 15
    commands = _commands(against)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for argv, env in commands.values():
        _seconds(argv, env)  # warm the file cache once, untimed
    for _ in range(rounds):
        for name, (argv, env) in commands.items():
            times[name].append(_seconds(argv, env))
    load = os.getloadavg()[0]
    print(f"{rounds} rounds, load average {load:.1f}, {os.cpu_count()} CPUs")
    print(f"{'command':<34}{'median s':>10}{'fastest s':>11}{'median CPU s':>14}")
    for name, measured in times.items():
        walls = [wall for wall, _ in measured]
        cpu = statistics.median(cpu for _, cpu in measured)
        print(f"{name:<34}{statistics.median(walls):>10.3f}{min(walls):>11.3f}{cpu:>14.3f}")


if __name__ == "__main__":
    main()
