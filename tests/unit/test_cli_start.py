"""``shopdb --help`` and ``--version`` load none of the heavy libraries: the commands that
need them import them (bench/cli_start.py measures the start-up time)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from shopdb.cli import COMMANDS, cli

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
# and what ``--version`` and ``--help`` need none of: the root group lists the commands
# without importing their modules, and nothing on that path imports SQLAlchemy
NOT_AT_START = (
    "sqlalchemy",
    "rich",
    "pydantic",
    "fastapi",
    "starlette",
    "jinja2",
    "pymysql",
    "shopdb.db",
    "shopdb.services",
    "shopdb.queries",
    *(f"shopdb.cli.{module}" for module in ("schema_cmds", "order_cmds", "api_cmds")),
)
# runs the console script's entry point as ``shopdb ARGS`` would, then lists what loaded;
# with LOAD_ALL set it first loads every command, as an eager command tree would be
PROBE = """
import json, os, sys
from shopdb.cli import cli, main
if os.environ.get("LOAD_ALL"):
    list(cli.commands)
sys.argv = ["shopdb", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\n" + json.dumps(sorted(sys.modules)))
"""


def _run(*args: str, load_all: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "100"}
    env.pop("LOAD_ALL", None)
    if load_all:
        env["LOAD_ALL"] = "1"
    return subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True, env=env
    )


def _loaded(*args: str) -> set[str]:
    return set(json.loads(_run(*args).stderr.splitlines()[-1]))


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("order", "--help")])
def test_start_up_loads_no_heavy_module(args: tuple[str, ...]) -> None:
    loaded = _loaded(*args)

    assert "shopdb.cli" in loaded  # the probe ran the real command
    assert sorted(m for m in loaded if m.split(".")[0] in HEAVY or m in HEAVY) == []


def test_the_probe_sees_a_heavy_import() -> None:
    # the same probe on a command that needs the generator does list it
    loaded = _loaded("--db", "sqlite:///:memory:", "generate", "--scale", "nonsense")

    assert {"numpy", "shopdb.datagen.generate"} <= loaded


@pytest.mark.parametrize("args", [("--help",), ("--version",)])
def test_version_and_help_load_no_sqlalchemy_and_no_command(args: tuple[str, ...]) -> None:
    loaded = _loaded(*args)

    assert "shopdb.cli.base" in loaded
    assert sorted(m for m in loaded if m.startswith(NOT_AT_START)) == []


def test_help_lists_every_command_as_the_loaded_commands_would() -> None:
    lazy = _run("--help").stdout
    eager = _run("--help", load_all=True).stdout

    assert lazy == eager
    assert "  staff     Manage the dashboard's staff accounts.\n" in lazy


def test_every_command_is_declared_with_its_own_first_sentence() -> None:
    commands = dict(cli.commands)  # loads every declared module

    assert sorted(commands) == sorted(COMMANDS)
    for name, (module, summary) in COMMANDS.items():
        assert commands[name].get_short_help_str(limit=10**6) == summary, name
        assert commands[name].callback is not None
        assert commands[name].callback.__module__ == module, name
