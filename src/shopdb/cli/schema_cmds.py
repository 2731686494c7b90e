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
    """Create the shopdb schema in an empty database."""
    engine = shop.engine(create=True)
    admin.init_schema(engine)
    click.echo(f"created {len(admin.SHOP_TABLES)} tables in {_where(shop)}")


@click.command()
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_shop
def reset(shop: ShopContext, yes: bool) -> None:
    """Drop shopdb's tables and create them empty (other tables stay)."""
    if not yes:
        if not sys.stdin.isatty():
            raise click.ClickException("reset deletes all shop data: pass --yes to confirm")
        click.confirm(f"Delete all shop data in {_where(shop)}?", abort=True)
    engine = shop.engine(create=True)
    admin.reset_schema(engine)
    click.echo(f"reset {len(admin.SHOP_TABLES)} tables in {_where(shop)}")


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
