"""``query``: run one of the analytics queries and print its rows, SQL or plan."""

from __future__ import annotations

from typing import Any

import click

from shopdb.cli import lake_cmds, report_cmds
from shopdb.cli.base import ShopContext, in_cli_words, pass_shop
from shopdb.db.backend import backend_name
from shopdb.errors import InvalidInput
from shopdb.queries import QUERIES, explain, get_query, run_query, sql_text
from shopdb.queries.formats import FORMATS, render
from shopdb.queries.runner import bind_values
from shopdb.queries.server import undersized_settings
from shopdb.queries.sources import SOURCES, rollup_values, use_rollup

# the library names the parameter, the command line its flag
_SOURCE_WORDS = {"use source 'base' or 'auto'": "use --source base or auto"}


@click.command("query")
@click.argument("name", required=False)
@click.option("--list", "list_queries", is_flag=True, help="List the queries and stop.")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter of the query (repeatable); see --list.",
)
@click.option("--since", metavar="YYYY-MM-DD", help="First day counted.")
@click.option("--until", metavar="YYYY-MM-DD", help="Last day counted (inclusive).")
@click.option("--limit", metavar="N", help="Rows to return at most.")
@click.option("--as-of", "as_of", metavar="TIMESTAMP", help="When ages and windows end.")
@click.option("--category", "category_id", metavar="ID", help="Only this category's subtree.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="An aligned table, CSV, or JSON (an array of objects keyed by column).",
)
@click.option(
    "--source",
    type=click.Choice(SOURCES),
    default="auto",
    show_default=True,
    help="Read the rollups, the base tables, or the rollups where they can answer.",
)
@click.option("--sql", "show_sql", is_flag=True, help="Print the SQL as run on this backend.")
@click.option("--explain", "show_plan", is_flag=True, help="Print the backend's query plan.")
@click.option(
    "--engine",
    type=click.Choice(lake_cmds.ENGINES),
    default="db",
    show_default=True,
    help="Run on --db, or on the lake in --lake with DuckDB or Spark.",
)
@click.option("--lake", "lake_dir", metavar="DIR", help="The lake --engine duckdb|spark reads.")
@click.option("--spark-master", metavar="URL", help="A Spark cluster's master (default local[*]).")
@pass_shop
def query(
    shop: ShopContext,
    name: str | None,
    list_queries: bool,
    params: tuple[str, ...],
    fmt: str,
    source: str,
    show_sql: bool,
    show_plan: bool,
    since: str | None,
    until: str | None,
    limit: str | None,
    as_of: str | None,
    category_id: str | None,
    engine: str,
    lake_dir: str | None,
    spark_master: str | None,
) -> None:
    """Run the analytics query NAME and print its rows (see --list for names).

    With --engine duckdb or spark the query runs on the lake in --lake instead of --db
    (see 'shopdb lake'); the rows are the same.
    """
    shorthands = {
        "since": since,
        "until": until,
        "limit": limit,
        "as_of": as_of,
        "category_id": category_id,
    }
    if list_queries:
        click.echo(_listing(), nl=False)
        return
    if name is None:
        raise InvalidInput("name a query, or use --list to see them")
    if name not in QUERIES:
        raise InvalidInput(f"unknown query {name!r}: 'shopdb query --list' shows them all")
    with in_cli_words(_SOURCE_WORDS):
        spec = get_query(name)
        values = _parse_params(params, shorthands)
        if show_sql:
            bound = bind_values(spec, values)
            if engine != "db":
                # the lake holds base tables only: the rollups are derived from them
                click.echo(sql_text(name, engine))
            else:
                dialect = backend_name(shop.settings.database_url)
                rollup = use_rollup(name, bound, source)
                if rollup:
                    bound |= rollup_values(bound)
                click.echo(sql_text(name, dialect, rollup=rollup))
            click.echo("-- bound values " + ", ".join(f"{k} = {v!r}" for k, v in bound.items()))
            return
        if engine != "db":
            if show_plan:
                raise InvalidInput("--explain shows the database's plan: drop --engine")
            result = lake_cmds.run_on_lake(engine, lake_dir, spark_master, name, values)
            click.echo(render(result, fmt), nl=False)
            return
        if lake_dir is not None or spark_master is not None:
            raise InvalidInput("--lake and --spark-master need --engine duckdb or spark")
        db = shop.engine()
        with db.connect() as conn:
            note = undersized_settings(conn)
        if note is not None:
            click.echo(note, err=True)
        if show_plan:
            click.echo("\n".join(explain(db, name, source=source, **values)))
            return
        click.echo(render(run_query(db, name, source=source, **values), fmt), nl=False)


def _parse_params(params: tuple[str, ...], shorthands: dict[str, str | None]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"bad --param {item!r}: use KEY=VALUE")
        values[key.strip().replace("-", "_")] = value
    # --since and the like stand for --param since=..., and win over it
    values.update({k: v for k, v in shorthands.items() if v is not None})
    return values


def _listing() -> str:
    width = max(len(n) for n in QUERIES)
    lines = []
    for spec in QUERIES.values():
        takes = ", ".join(p.name for p in spec.params)
        lines.append(f"{spec.name.ljust(width)}  {spec.description}")
        if takes:
            lines.append(f"{'':{width}}  parameters: {takes}")
    return "\n".join(lines) + "\n"


def register(group: click.Group) -> None:
    """Add ``query`` and ``report`` to the root group."""
    group.add_command(query)
    report_cmds.register(group)
