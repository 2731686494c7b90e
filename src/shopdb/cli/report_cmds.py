"""``report``: write the analytics report as one self-contained HTML file."""

from __future__ import annotations

from pathlib import Path

import click

from shopdb.cli.base import ShopContext, pass_shop
from shopdb.queries.params import AS_OF


@click.command("report")
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help="The HTML file to write.",
)
@click.option(
    "--png",
    "png_dir",
    type=click.Path(file_okay=False, path_type=Path),
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
def report(shop: ShopContext, out_path: Path, png_dir: Path | None, as_of: str | None) -> None:
    """Write the analytics report (headline figures, charts, tables) to one HTML file."""
    from shopdb.report import write_report  # matplotlib: seconds only this command needs

    moment = AS_OF.convert(as_of) if as_of is not None else None
    head = write_report(shop.engine(), out_path, png_dir, as_of=moment)
    click.echo(f"wrote {out_path}" + (f" and charts in {png_dir}" if png_dir else ""))
    for line in head.lines():
        click.echo(f"  {line}")


def register(group: click.Group) -> None:
    """Add ``report`` to the root group."""
    group.add_command(report)
