"""``generate`` and ``demo``: fill a database with a generated shop."""

from __future__ import annotations

import os
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.engine import Engine

from shopdb.cli import lake_cmds
from shopdb.cli.base import ShopContext, pass_shop
from shopdb.cli.schema_cmds import kept_line
from shopdb.cli.signals import terminate_as_interrupt
from shopdb.datagen.params import DEFAULT_YEARS, GenParams, make_params, parse_end
from shopdb.datagen.scale import expected_rows, parse_scale
from shopdb.db import admin
from shopdb.errors import ConfigError, SchemaError
from shopdb.outputs import check_file_target

if TYPE_CHECKING:
    from shopdb.datagen.generate import GenerationResult
    from shopdb.datagen.summary import ShopSummary

# The generator (NumPy, Faker) and the report (matplotlib) are imported inside the
# commands that use them: at the top they would cost every shopdb command, --help
# included, seconds of start-up.

DEMO_SCALE = "0.01"
MAX_JOBS_PER_CORE = 2
"""More worker processes than this per core only add overhead (the rows never change)."""


def _options(default_scale: str) -> list[click.Option]:
    return [
        click.Option(
            ["--scale", "scale"],
            default=default_scale,
            show_default=True,
            metavar="SF",
            help="Scale factor: SF 1 is 600,000 users and 1,000,000 orders.",
        ),
        click.Option(["--seed"], default=42, show_default=True, type=int, help="Random seed."),
        click.Option(
            ["--end"],
            default=None,
            metavar="DATE",
            help="Last day covered is the day before DATE (YYYY-MM-DD). Default: today (UTC).",
        ),
        click.Option(
            ["--years"],
            default=DEFAULT_YEARS,
            show_default=True,
            type=int,
            help="Years of history before --end.",
        ),
        click.Option(
            ["--jobs"],
            default=1,
            show_default=True,
            type=int,
            help="Processes generating rows (the rows are the same for any number); "
            f"at most {MAX_JOBS_PER_CORE} per CPU core.",
        ),
        click.Option(
            ["--yes"],
            is_flag=True,
            help="Replace existing shop data without asking (with --reset, or for demo).",
        ),
    ]


def _params(scale: str, seed: int, end: str | None, years: int, jobs: int) -> GenParams:
    if jobs < 1:
        raise ConfigError(f"--jobs must be at least 1, got {jobs}")
    cores = os.cpu_count() or 1
    if jobs > MAX_JOBS_PER_CORE * cores:
        raise ConfigError(
            f"--jobs {jobs} is more than {MAX_JOBS_PER_CORE} per CPU core ({cores} here): "
            f"use at most {MAX_JOBS_PER_CORE * cores}"
        )
    today = datetime.now(UTC).date()
    end_date = parse_end(end) if end else today
    if end_date > today + timedelta(days=1):
        # customers would sign up in the future, and every order placed today would
        # predate its customer
        raise ConfigError(
            f"--end {end_date.isoformat()} is in the future: the data can end tomorrow "
            f"({(today + timedelta(days=1)).isoformat()}) at the latest"
        )
    return make_params(seed, parse_scale(scale), end_date, years)


def _confirm_replace(engine: Engine, yes: bool) -> None:
    """Refuse (or ask, at a terminal) before shop data is replaced."""
    from shopdb.datagen.generate import shop_data_tables

    full = shop_data_tables(engine)
    if not full or yes:
        return
    what = f"{', '.join(full[:3])}{', ...' if len(full) > 3 else ''}"
    where = engine.url.render_as_string(hide_password=True)
    if not sys.stdin.isatty():
        raise click.ClickException(f"{where} holds shop data ({what}): pass --yes to replace it")
    click.confirm(f"Replace the shop data ({what}) in {where}?", abort=True)


def _with_options(default_scale: str):  # type: ignore[no-untyped-def]
    def decorate(command: click.Command) -> click.Command:
        command.params.extend(_options(default_scale))
        return command

    return decorate


@click.command("generate")
@click.option("--reset", is_flag=True, help="Drop any shop data first (and create the schema).")
@click.option(
    "--to-lake",
    "to_lake",
    metavar="DIR",
    help="Write the shop as a Parquet lake in the new folder DIR instead of into --db.",
)
@pass_shop
def generate_command(
    shop: ShopContext, /, reset: bool, yes: bool, to_lake: str | None, **options: object
) -> None:
    """Fill an initialized, empty database with a generated shop.

    The same --seed, --scale and --end always give the same rows, on every backend and
    for any --jobs. An interrupted run (Ctrl-C or SIGTERM) deletes what it loaded and is
    recorded as failed. --reset asks before replacing shop data, unless --yes.
    With --to-lake the same rows go to a lake instead (no database is used).
    """
    from shopdb.datagen.generate import generation_lock, require_empty

    params = _params(**options)  # type: ignore[arg-type]
    if to_lake is not None:
        if reset:
            raise ConfigError("--reset applies to a database, not to --to-lake")
        lake_cmds.generate_to_lake(params, Path(to_lake), int(options["jobs"]))  # type: ignore[call-overload]
        return
    engine = shop.engine(create=reset)
    with generation_lock(engine):
        if reset:
            _confirm_replace(engine, yes)
            _reset(engine)
        else:
            require_empty(engine)
        result = _run(engine, params, int(options["jobs"]))  # type: ignore[call-overload]
    _print_result(result, params)


@click.command("demo")
@click.option(
    "--report",
    "report_path",
    default="report.html",
    show_default=True,
    help="Where to write the analytics report (HTML with charts); checked first.",
)
@pass_shop
def demo_command(shop: ShopContext, /, report_path: str, yes: bool, **options: object) -> None:
    """Build a small realistic shop in seconds, summarize it and write its report.

    Replaces any shopdb tables in the database (default: the SQLite file shopdb.sqlite3),
    asking first if they hold shop data (unless --yes), generates a shop, prints what was
    built, writes the analytics report and prints its headline figures. The report's
    path is checked before anything changes.
    """
    from shopdb.datagen.generate import generation_lock
    from shopdb.datagen.summary import shop_summary
    from shopdb.realism import EngineSource, realism_report
    from shopdb.report import write_report

    params = _params(**options)  # type: ignore[arg-type]
    check_file_target(report_path, "report file")
    engine = shop.engine(create=True)
    with generation_lock(engine):
        _confirm_replace(engine, yes)
        staff = _reset(engine)
        result = _run(engine, params, int(options["jobs"]))  # type: ignore[call-overload]
    _print_summary(shop_summary(engine), result, params)
    headline = write_report(engine, Path(report_path))
    click.echo(f"\nreport written to {report_path}")
    for line in headline.lines():
        click.echo(f"  {line}")
    click.echo(f"\n{realism_report(EngineSource(engine)).summary()} (shopdb realism)")
    account = (
        f"log in with a staff account kept from before ({staff}), or create one with"
        if staff
        else "create an account with"
    )
    click.echo(
        f"\nthe dashboard: {account}\n"
        "  ./dev shopdb staff create you@example.com --role admin\n"
        "then run ./dev serve and open http://127.0.0.1:8000/ in a browser"
    )


def _reset(engine: Engine) -> int:
    """Replace the schema, keeping staff accounts and API keys; return the staff kept."""
    kept = admin.reset_schema(engine)
    line = kept_line(kept)
    if line:
        click.echo(line, err=True)
    return kept.get("staff_accounts", 0)


def _run(engine: Engine, params: GenParams, jobs: int) -> GenerationResult:
    from shopdb.datagen.generate import generate

    console = Console(stderr=True)
    columns = (
        TextColumn("{task.description:<22}"),
        BarColumn(),
        TextColumn("{task.completed:>12,.0f} rows"),
        TextColumn("{task.fields[rate]:>14}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("generating", total=expected_rows(params.scale), rate="")

        def progress(table: str, rows: int) -> None:
            bar.advance(task, rows)
            elapsed = bar.tasks[0].elapsed or 0.0
            done = bar.tasks[0].completed
            rate = f"{done / elapsed:,.0f} rows/s" if elapsed > 0 else ""
            bar.update(task, description=table, rate=rate)

        with terminate_as_interrupt():
            result = generate(engine, params, jobs=jobs, progress=progress)
        bar.update(task, description="done", total=bar.tasks[0].completed)
    return result


def _print_result(result: GenerationResult, params: GenParams) -> None:
    total = sum(result.rows.values())
    click.echo(f"generated {params.describe()} (run {result.run_id})")
    for table, rows in result.rows.items():
        click.echo(f"  {table:<22}{rows:>12,}")
    rate = total / result.seconds if result.seconds else 0
    click.echo(f"  {'total':<22}{total:>12,} rows in {result.seconds:.1f} s ({rate:,.0f} rows/s)")
    click.echo(f"  {'of which rollups':<22}{result.rollup_seconds:>14.1f} s")


def _print_summary(summary: ShopSummary, result: GenerationResult, params: GenParams) -> None:
    _print_result(result, params)
    if summary.first_order_at and summary.last_order_at:
        click.echo(
            f"orders from {summary.first_order_at:%Y-%m-%d} to {summary.last_order_at:%Y-%m-%d}"
        )
    statuses = ", ".join(f"{k} {v:,}" for k, v in sorted(summary.orders_by_status.items()))
    click.echo(f"orders by status: {statuses}")


def register(group: click.Group) -> None:
    """Add the data commands to the root group."""
    for command in (generate_command, demo_command):
        group.add_command(command)


_with_options("1")(generate_command)
_with_options(DEMO_SCALE)(demo_command)
__all__ = ["SchemaError", "date", "register"]
