"""``lake export`` and ``lake sql``; and the lake engines behind ``query --engine``."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from shopdb.cli.base import ShopContext, pass_shop
from shopdb.errors import InvalidInput
from shopdb.queries.formats import FORMATS, render

if TYPE_CHECKING:
    from shopdb.datagen.params import GenParams
    from shopdb.queries.runner import QueryResult

# the lake's modules (pyarrow, DuckDB) are imported by the commands that use them, so
# they add nothing to the start-up of every other command

ENGINES = ("db", "duckdb", "spark")


@click.group("lake")
def lake() -> None:
    """A Parquet copy of the shop (a lake), and ad hoc SQL over it in DuckDB."""


@lake.command("export")
@click.option(
    "--out", "out", required=True, metavar="DIR", help="The lake folder (made if missing)."
)
@click.option("--full", is_flag=True, help="Rewrite every partition, not only changed ones.")
@click.option(
    "--fingerprints",
    is_flag=True,
    help="Find changed months by fingerprints (a scan of every row), not the change log: "
    "also finds rows written around shopdb's services.",
)
@pass_shop
def export_command(shop: ShopContext, out: str, full: bool, fingerprints: bool) -> None:
    """Export every table of --db to Parquet in DIR, incrementally when DIR holds a lake.

    Everything is read in one snapshot. An interrupted export leaves the lake as it was.
    """
    from shopdb.lake.export import export_lake

    result = export_lake(shop.engine(), Path(out), full=full, fingerprints=fingerprints)
    manifest = result.manifest
    rows = sum(t.row_count for t in manifest.tables.values())
    click.echo(
        f"lake {out}: export {manifest.export_number}, {rows:,} rows; "
        f"{len(result.rewritten)} partitions written ({result.rows_written:,} rows), "
        f"{result.kept} kept ({result.compared}), in {result.seconds:.1f} s"
    )


@lake.command("sql")
@click.argument("folder", metavar="DIR")
@click.argument("statement", metavar="SQL")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="An aligned table, CSV, or JSON (an array of objects keyed by column).",
)
def sql_command(folder: str, statement: str, fmt: str) -> None:
    """Run one read-only SELECT over the lake in DIR, in DuckDB; its tables are views."""
    from shopdb.lake.duck import DuckLake

    with DuckLake(Path(folder)) as duck:
        click.echo(render(duck.sql(statement), fmt), nl=False)


@contextmanager
def _spark(master: str) -> Iterator[Any]:
    from shopdb.lake.spark import spark_session

    with tempfile.TemporaryDirectory(prefix="shopdb-spark-") as work:
        session = spark_session(Path(work), master=master, environ=os.environ)
        try:
            yield session
        finally:
            session.stop()


def run_on_lake(
    engine: str, folder: str | None, master: str | None, name: str, values: dict[str, Any]
) -> QueryResult:
    """Run catalogue query ``name`` on the lake in ``folder`` with DuckDB or Spark.

    Raises:
        InvalidInput: no ``--lake`` given, or ``--spark-master`` without Spark.
    """
    if folder is None:
        raise InvalidInput(f"--engine {engine} reads a lake: give --lake DIR")
    if master is not None and engine != "spark":
        raise InvalidInput("--spark-master applies only to --engine spark")
    from shopdb.lake.reading import open_lake, run_lake_query

    if engine == "duckdb":
        from shopdb.lake.duck import DuckLake

        with DuckLake(Path(folder)) as duck:
            return run_lake_query(duck, name, **values)
    from shopdb.lake.spark import DEFAULT_MASTER, SparkLake

    open_lake(Path(folder))  # a bad lake fails before Spark takes seconds to start
    with _spark(master or DEFAULT_MASTER) as session:
        return run_lake_query(SparkLake(session, Path(folder)), name, **values)


def generate_to_lake(params: GenParams, folder: Path, jobs: int) -> None:
    """Generate the shop of ``params`` into a new lake and print what was written."""
    from shopdb.lake.generate import generate_lake

    result = generate_lake(params, folder, jobs=jobs)
    total = sum(result.rows.values())
    click.echo(f"generated {params.describe()} into the lake {folder}")
    for table, rows in result.rows.items():
        click.echo(f"  {table:<22}{rows:>12,}")
    rate = total / result.seconds if result.seconds else 0
    click.echo(f"  {'total':<22}{total:>12,} rows in {result.seconds:.1f} s ({rate:,.0f} rows/s)")


def register(group: click.Group) -> None:
    """Add the ``lake`` group to the root group."""
    group.add_command(lake)
