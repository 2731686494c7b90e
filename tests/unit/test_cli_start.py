"""``shopdb --help`` and ``--version`` load none of the heavy libraries: the commands that
need them import them (bench/cli_start.py measures the start-up time)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# what a command needs, not every command: each costs from a tenth of a second to seconds
HEAVY = (
    "numpy",
    "faker",
    "pyarrow",
    "matplotlib",
    "alembic",
    "psycopg",
    "shopdb.datagen.generate",
    "shopdb.datagen.pipeline",
    "shopdb.datagen.people",
    "shopdb.report",
    "shopdb.workload.run",
    "shopdb.workload.baseline",
)
# runs the console script's entry point as ``shopdb ARGS`` would, then lists what loaded
PROBE = """
import json, sys
from shopdb.cli import main
sys.argv = ["shopdb", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\n" + json.dumps(sorted(sys.modules)))
"""


def _loaded(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stderr.splitlines()[-1]))


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("order", "--help")])
def test_start_up_loads_no_heavy_module(args: tuple[str, ...]) -> None:
    loaded = _loaded(*args)

    assert "shopdb.cli" in loaded  # the probe ran the real command
    assert sorted(m for m in loaded if m.split(".")[0] in HEAVY or m in HEAVY) == []


def test_the_probe_sees_a_heavy_import() -> None:
    # the same probe on a command that needs the generator does list it
    loaded = _loaded("--db", "sqlite:///:memory:", "generate", "--scale", "nonsense")

    assert {"numpy", "shopdb.datagen.generate"} <= loaded
