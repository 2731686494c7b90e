"""``report``: write the analytics report as one self-contained HTML file."""

from __future__ import annotations

import click

from shopdb.cli.base import ShopContext, pass_shop
from shopdb.queries.params import AS_OF


@click.command("report")
@click.option(
    "--out",
    "out_path",
    default="report.html",
    show_default=True,
    help="The HTML file to write.",
)
@click.option(
    "--png",
    "png_dir",
    default=None,
    help="Also write each chart as a PNG file into this folder.",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="TIMESTAMP",
    help="When unpaid ages and recent sales end (default: the latest order's time).",
)
@pass_shop
def report(shop: ShopContext, out_path: str, png_dir: str | None, as_of: str | None) -> None:
    """Write the analytics report (headline figures, charts, tables) to one HTML file.

    The targets are checked before any query runs; an unwritable one is one line.
    """
    from shopdb.report import check_report_targets, write_report  # matplotlib: seconds

    moment = AS_OF.convert(as_of) if as_of is not None else None
    check_report_targets(out_path, png_dir)
    head = write_report(shop.engine(), out_path, png_dir, as_of=moment)
    click.echo(f"wrote {out_path}" + (f" and charts in {png_dir}" if png_dir else ""))
    for line in head.lines():
        click.echo(f"  {line}")


def register(group: click.Group) -> None:
    """Add ``report`` to the root group."""
    group.add_command(report)
