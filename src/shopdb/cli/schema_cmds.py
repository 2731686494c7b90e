"""``init``, ``reset``, ``migrate``, ``schema`` and ``erd``: the schema's own commands."""

from __future__ import annotations

import sys

import click

from shopdb.cli.base import ShopContext, pass_shop
from shopdb.db import admin, erd
from shopdb.db.backend import NAMES, backend_named, backend_of


@click.command()
@pass_shop
def init(shop: ShopContext) -> None:
    """Create the shopdb schema in an empty database (saying what else it holds)."""
    engine = shop.engine(create=True)
    with engine.connect() as conn:
        others = admin.other_tables(conn)
    admin.init_schema(engine)
    click.echo(f"created {len(admin.SHOP_TABLES)} tables in {_where(shop)}")
    if others:
        shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
        click.echo(
            f"note: the database also holds {len(others)} other table(s) ({shown}); "
            "shopdb's were created beside them and will never touch them"
        )


def kept_line(kept: dict[str, int]) -> str | None:
    """``kept 2 staff accounts and 1 API key`` for a reset's kept rows, or None."""
    staff, keys = kept.get("staff_accounts", 0), kept.get("api_keys", 0)
    if not staff and not keys:
        return None
    return f"kept {staff} staff account{'s' * (staff != 1)} and {keys} API key{'s' * (keys != 1)}"


@click.command()
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--drop-access",
    is_flag=True,
    help="Drop the staff accounts and API keys too (kept by default).",
)
@pass_shop
def reset(shop: ShopContext, yes: bool, drop_access: bool) -> None:
    """Drop shopdb's tables and create them empty (other tables stay).

    Staff accounts and API keys are kept, with their ids, unless --drop-access; every
    other shopdb table (the shop's data, rollups, idempotency and action keys) is emptied.
    """
    if not yes:
        if not sys.stdin.isatty():
            raise click.ClickException("reset deletes all shop data: pass --yes to confirm")
        click.confirm(f"Delete all shop data in {_where(shop)}?", abort=True)
    engine = shop.engine(create=True)
    kept = admin.reset_schema(engine, keep_access=not drop_access)
    click.echo(f"reset {len(admin.SHOP_TABLES)} tables in {_where(shop)}")
    line = kept_line(kept)
    click.echo(line if line else "no staff account or API key to keep")


@click.command()
@pass_shop
def migrate(shop: ShopContext) -> None:
    """Bring an existing shopdb schema up to this version's revision."""
    from shopdb.db import migrate as migrations  # Alembic: start-up only this command needs

    engine = shop.engine()
    with engine.connect() as conn:
        if admin.schema_version(conn) is None:
            admin.require_schema(conn)  # says what is missing
        before = admin.schema_version(conn)
    migrations.upgrade(engine)
    head = migrations.head_revision()
    if before == head:
        click.echo(f"schema already at revision {head} in {_where(shop)}")
    else:
        click.echo(f"migrated schema from revision {before} to {head} in {_where(shop)}")


@click.command()
@click.option(
    "--dialect",
    type=click.Choice(NAMES),
    default=None,
    help="Print the DDL for this dialect (default: the --db backend).",
)
@pass_shop
def schema(shop: ShopContext, dialect: str | None) -> None:
    """Print the DDL that creates the schema."""
    backend = backend_named(dialect) if dialect else backend_of(shop.settings.database_url)
    click.echo(admin.ddl(backend.dialect()), nl=False)


@click.command("erd")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(erd.FORMATS),
    default="mermaid",
    show_default=True,
    help="Mermaid or Graphviz dot source, or SVG rendered by Graphviz.",
)
def erd_command(fmt: str) -> None:
    """Print the entity-relationship diagram, generated from the schema."""
    if fmt == "svg":
        sys.stdout.write(erd.svg())
    else:
        click.echo(erd.render(fmt), nl=False)


def _where(shop: ShopContext) -> str:
    return shop.settings.database_url.render_as_string(hide_password=True)


def register(group: click.Group) -> None:
    """Add the schema commands to the root group."""
    for command in (init, reset, migrate, schema, erd_command):
        group.add_command(command)
