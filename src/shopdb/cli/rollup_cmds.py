"""``rollups rebuild``, ``rollups refresh`` and ``rollups status``."""

from __future__ import annotations

from time import perf_counter

import click

from shopdb.cli.base import ShopContext, pass_shop
from shopdb.db.admin import require_schema
from shopdb.rollups import build


@click.group("rollups")
def rollups() -> None:
    """The summary tables the analytics read (kept exact by the services)."""


@rollups.command("rebuild")
@pass_shop
def rebuild(shop: ShopContext) -> None:
    """Recompute every rollup from the base tables, in one transaction."""
    engine = shop.engine()
    with engine.connect() as conn:
        require_schema(conn)
    started = perf_counter()
    build.rebuild_all(engine)
    click.echo(f"rebuilt the rollups in {perf_counter() - started:.1f} s")


@rollups.command("refresh")
@pass_shop
def refresh(shop: ShopContext) -> None:
    """Fold the change logs into the rollups (sales, customer days, product pairs)."""
    engine = shop.engine()
    with engine.connect() as conn:
        require_schema(conn)
    started = perf_counter()
    folded = build.refresh(engine)
    click.echo(f"folded {folded:,} deltas in {perf_counter() - started:.1f} s")


@rollups.command("status")
@pass_shop
def status(shop: ShopContext) -> None:
    """Each rollup's rows and how many changes await folding (answers are exact either way)."""
    engine = shop.engine()
    with engine.connect() as conn:
        require_schema(conn)
    rows = build.status(engine)
    width = max(len(r.name) for r in rows)
    click.echo(f"{'rollup':<{width}}  {'rows':>12}  {'unfolded':>10}  oldest unfolded change")
    for r in rows:
        oldest = "-" if r.oldest_pending_at is None else r.oldest_pending_at.isoformat()
        if r.name == "customer_sales":
            oldest = "(kept current by the services)"
        click.echo(f"{r.name:<{width}}  {r.row_count:>12,}  {r.pending_deltas:>10,}  {oldest}")


def register(group: click.Group) -> None:
    """Add ``rollups`` to the root group."""
    group.add_command(rollups)
