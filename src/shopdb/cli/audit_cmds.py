"""``check``, ``checksum`` and ``export``: commands that read a whole shop database."""

from __future__ import annotations

import json

import click

from shopdb import audit, checksum
from shopdb.cli.base import ShopContext, in_cli_words, pass_shop
from shopdb.cli.signals import terminate_as_interrupt
from shopdb.db.backend import NAMES
from shopdb.export import FORMATS, export_database

_table_or_json = click.option(
    "--format",
    "fmt",
    type=click.Choice(("table", "json")),
    default="table",
    show_default=True,
    help="A table for people, or JSON for programs.",
)


@click.command()
@_table_or_json
@pass_shop
def check(shop: ShopContext, fmt: str) -> None:
    """Run the integrity audit; exit 1 and list the violations if any check fails."""
    results = audit.run_checks(shop.engine())
    if fmt == "json":
        click.echo(json.dumps([r.as_dict() for r in results], indent=2, default=str))
    else:
        _print_table(results)
    if not all(r.passed for r in results):
        click.get_current_context().exit(1)


def _print_table(results: list[audit.CheckResult]) -> None:
    width = max(len(r.name) for r in results)
    for r in results:
        verdict = "ok" if r.passed else f"FAIL {r.violation_count}"
        click.echo(f"{r.name:<{width}}  {verdict:<10}  {r.description}")
    failed = [r for r in results if not r.passed]
    for r in failed:
        click.echo(f"\n{r.name}: {r.violation_count} violating row(s), first {len(r.sample)}:")
        for row in r.sample:
            click.echo("  " + ", ".join(f"{key}={value}" for key, value in row.items()))
    summary = f"{len(results) - len(failed)} of {len(results)} checks passed"
    click.echo(f"\n{summary}" if failed else summary)


@click.command("checksum")
@_table_or_json
@pass_shop
def checksum_command(shop: ShopContext, fmt: str) -> None:
    """Print each data table's row count and content checksum (equal data, equal digest).

    The digest does not depend on the backend: compare a shop on SQLite, MariaDB and
    PostgreSQL, or two generator runs, table by table.
    """
    sums = checksum.table_checksums(shop.engine())
    combined = checksum.combined_digest(sums)
    if fmt == "json":
        tables = {name: {"row_count": c.row_count, "digest": c.digest} for name, c in sums.items()}
        click.echo(json.dumps({"tables": tables, "combined_digest": combined}, indent=2))
        return
    width = max(len(name) for name in sums)
    for name, c in sums.items():
        click.echo(f"{name:<{width}}  {c.row_count:>12,}  {c.digest}")
    total = sum(c.row_count for c in sums.values())
    click.echo(f"{'(all)':<{width}}  {total:>12,}  {combined}")


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="The file format.")
@click.option(
    "--out",
    "out_dir",
    required=True,
    help="Directory to write into (created if missing).",
)
@click.option("--force", is_flag=True, help="Replace files of the same names (else refused).")
@click.option(
    "--dialect",
    type=click.Choice(NAMES),
    default=None,
    help="For --format sql: the SQL dialect of the script (default: the --db backend).",
)
@pass_shop
def export_command(
    shop: ShopContext, fmt: str, out_dir: str, force: bool, dialect: str | None
) -> None:
    """Write every table (and the generation runs) as CSV, Parquet or an INSERT script.

    CSV and Parquet give one file per table; sql gives one script, parents first,
    for the sqlite3, mysql or psql client. Files already there are replaced only with
    --force. On any error (Ctrl-C and SIGTERM included) nothing is written.
    """
    with (
        terminate_as_interrupt(),
        in_cli_words({"force replaces them": "pass --force to replace them"}),
    ):
        written = export_database(shop.engine(), fmt, out_dir, dialect, force=force)
    for exported in written:
        click.echo(f"{exported.path}  {exported.row_count:,} rows")


def register(group: click.Group) -> None:
    """Add the audit, checksum and export commands to the root group."""
    for command in (check, checksum_command, export_command):
        group.add_command(command)
