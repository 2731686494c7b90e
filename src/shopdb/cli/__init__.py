"""The ``shopdb`` command line: a thin layer over the services and queries.

Each command group lives in its own module, which ``register``s its commands on ``cli``.
The root group imports that module only when one of its commands runs or prints its own
help: ``shopdb --help`` lists the commands from ``COMMANDS`` below, so ``--help`` and
``--version`` load neither SQLAlchemy nor any command's dependencies (0.1 s instead of 1 s).
A new command goes into ``COMMANDS`` with its help's first sentence
(tests/unit/test_cli_start.py checks that every entry matches its command).
"""

from __future__ import annotations

from shopdb.cli.base import cli, main

COMMANDS = {
    "init": (
        "shopdb.cli.schema_cmds",
        "Create the shopdb schema in an empty database (saying what else it holds).",
    ),
    "reset": (
        "shopdb.cli.schema_cmds",
        "Drop shopdb's tables and create them empty (other tables stay).",
    ),
    "migrate": (
        "shopdb.cli.schema_cmds",
        "Bring an existing shopdb schema up to this version's revision.",
    ),
    "schema": ("shopdb.cli.schema_cmds", "Print the DDL that creates the schema."),
    "erd": (
        "shopdb.cli.schema_cmds",
        "Print the entity-relationship diagram, generated from the schema.",
    ),
    "generate": (
        "shopdb.cli.data_cmds",
        "Fill an initialized, empty database with a generated shop.",
    ),
    "demo": (
        "shopdb.cli.data_cmds",
        "Build a small realistic shop in seconds, summarize it and write its report.",
    ),
    "check": (
        "shopdb.cli.audit_cmds",
        "Run the integrity audit; exit 1 and list the violations if any check fails.",
    ),
    "checksum": (
        "shopdb.cli.audit_cmds",
        "Print each data table's row count and content checksum (equal data, equal digest).",
    ),
    "export": (
        "shopdb.cli.audit_cmds",
        "Write every table (and the generation runs) as CSV, Parquet or an INSERT script.",
    ),
    "query": (
        "shopdb.cli.query_cmds",
        "Run the analytics query NAME and print its rows (see --list for names).",
    ),
    "report": (
        "shopdb.cli.report_cmds",
        "Write the analytics report (headline figures, charts, tables) to one HTML file.",
    ),
    "order": ("shopdb.cli.order_cmds", "Place orders and move them through their lifecycle."),
    "product": ("shopdb.cli.order_cmds", "Manage products' stock."),
    "bench": (
        "shopdb.cli.bench_cmds",
        "Benchmarks against the --db database (which must hold a shop).",
    ),
    "realism": (
        "shopdb.cli.realism_cmds",
        "Measure the shop's realism: each property against its target (read-only).",
    ),
    "rollups": (
        "shopdb.cli.rollup_cmds",
        "The summary tables the analytics read (kept exact by the services).",
    ),
    "lake": (
        "shopdb.cli.lake_cmds",
        "A Parquet copy of the shop (a lake), and ad hoc SQL over it in DuckDB.",
    ),
    "serve": (
        "shopdb.cli.api_cmds",
        "Serve the REST API under /v1 (docs at /docs) on the --db database.",
    ),
    "api-key": ("shopdb.cli.api_cmds", "Create, list and revoke the API's keys."),
    "staff": ("shopdb.cli.staff_cmds", "Manage the dashboard's staff accounts."),
}
"""Every top-level command: the module that registers it, and its summary in ``--help``."""

cli.declare(COMMANDS)

__all__ = ["COMMANDS", "cli", "main"]
