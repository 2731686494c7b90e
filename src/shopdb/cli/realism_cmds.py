"""``realism``: measure a shop's data against what real shops look like."""

from __future__ import annotations

import json

import click

from shopdb.cli.base import ShopContext, pass_shop


@click.command("realism")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("table", "json")),
    default="table",
    show_default=True,
    help="A table for people, or JSON for programs.",
)
@pass_shop
def realism_command(shop: ShopContext, fmt: str) -> None:
    """Measure the shop's realism: each property against its target (read-only).

    Holiday peak, weekday and hour curve, growth, product head and tail, customer
    concentration and repeat rate, basket size, complement lift, prices per category,
    delivery times and payment failures. Exits 0 even when measures are off target.
    """
    # imported here: NumPy at the top would slow every shopdb command's start
    from shopdb.realism import EngineSource, format_report, realism_report

    report = realism_report(EngineSource(shop.engine()))
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2))
        return
    for line in format_report(report):
        click.echo(line)


def register(group: click.Group) -> None:
    """Add the realism command to the root group."""
    group.add_command(realism_command)
