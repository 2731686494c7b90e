"""``shopdb bench oltp`` and ``shopdb bench seed``: the transactional workload driver."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table

from shopdb.cli.base import ShopContext, in_cli_words, pass_shop
from shopdb.db.backend import backend_name
from shopdb.db.engine import open_engine
from shopdb.workload.clients import DEFAULT_MIX, KINDS, parse_mix

if TYPE_CHECKING:
    from shopdb.workload.run import OltpConfig, OltpReport
    from shopdb.workload.stats import PhaseResult

# the driver itself (and its bare-driver baseline) is imported by the commands that run
# it, so that no other shopdb command pays for it at start-up


@click.group()
def bench() -> None:
    """Benchmarks against the --db database (which must hold a shop)."""


@bench.command("oltp")
@click.option("--clients", type=int, default=8, show_default=True, help="Client threads.")
@click.option(
    "--duration",
    type=float,
    default=10.0,
    show_default=True,
    help="Seconds for each phase (baseline, services place-only, mixed).",
)
@click.option(
    "--mix",
    default=DEFAULT_MIX,
    show_default=True,
    help=f"Weights of the transaction types ({', '.join(KINDS)}).",
)
@click.option("--hot-products", type=int, help="Buy and restock only the first K products.")
@click.option(
    "--compare/--no-compare",
    default=True,
    show_default=True,
    help="Measure the bare-driver baseline against services place-only in the same run.",
)
@click.option(
    "--seed", type=int, default=1, show_default=True, help="Seed of the clients' choices."
)
@click.option(
    "--top-up",
    type=int,
    default=0,
    show_default=True,
    metavar="N",
    help="Restock products in play that have fewer than N units up to N, before the run "
    "and before each comparison slice.",
)
@click.option(
    "--rollup-compare",
    is_flag=True,
    help="Also place and pay without rollup maintenance and with it, alternating, in "
    "the same run (the rollups are rebuilt after).",
)
@click.option(
    "--counter-rows",
    is_flag=True,
    help="With --rollup-compare, also place and pay with the naive counter-row design "
    "(the day's rollup rows updated in place in checkout), for comparison.",
)
@click.option(
    "--refresh-every",
    type=float,
    default=1.0,
    show_default=True,
    metavar="S",
    help="Fold the rollups' change log every S seconds during the mixed phase (0: never).",
)
@pass_shop
def oltp(
    shop: ShopContext,
    clients: int,
    duration: float,
    mix: str,
    hot_products: int | None,
    compare: bool,
    seed: int,
    top_up: int,
    rollup_compare: bool,
    refresh_every: float,
    counter_rows: bool,
) -> None:
    """Run concurrent clients, print throughput and latency, then audit the database.

    Exits 1 when an error reached a client, an acknowledged order is missing or the
    audit finds a violation.
    """
    from shopdb.workload.run import OltpConfig, run_oltp

    with in_cli_words({"clients must": "--clients must", "duration_s must": "--duration must"}):
        config = OltpConfig(
            clients,
            duration,
            parse_mix(mix),
            hot_products,
            compare,
            seed,
            top_up,
            rollup_compare,
            refresh_every,
            counter_rows,
        )
    # no pre-ping round trip per checkout: a connection found dead before COMMIT is
    # retried by run_in_transaction anyway, and the bare-driver baseline pings nothing
    engine = open_engine(
        shop.settings,
        pool_size=clients + 2,
        max_overflow=2,
        pool_timeout=60,
        pool_pre_ping=False,
    )
    try:
        report = run_oltp(engine, config)
    finally:
        engine.dispose()
    _print(report, backend_name(engine), config)
    if not report.clean:
        raise click.exceptions.Exit(1)


def _print(report: OltpReport, backend: str, config: OltpConfig) -> None:
    console = Console(highlight=False)
    if report.topped_up:
        console.print(f"restocked products to {config.top_up} units {report.topped_up} times")
    if report.folded:
        console.print(f"folded {report.folded:,} rollup deltas while the clients ran")
    console.print(_figures(report, backend, config))
    for phase in report.phases:
        for kind, stats in phase.by_type.items():
            if stats.first_error:
                console.print(f"first error ({phase.name}/{kind}): {stats.first_error}")
    _print_checks(console, report)


def _figures(report: OltpReport, backend: str, config: OltpConfig) -> Table:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    table = Table(
        "phase",
        "type",
        "committed",
        "tx/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "retries",
        "refused",
        "errors",
        title=f"{backend}, {config.clients} clients, {config.duration_s:g} s per phase"
        + (f", {config.hot_products} hot products" if config.hot_products else "")
        + f" (load average {load:.1f}, {os.cpu_count()} CPUs)",
    )
    for phase in report.phases:
        for kind, stats in sorted(phase.by_type.items(), key=lambda kv: KINDS.index(kv[0])):
            p50, p95, p99 = stats.percentiles_ms()
            table.add_row(
                phase.name,
                kind,
                str(stats.committed),
                f"{phase.throughput(kind):.0f}",
                f"{p50:.1f}",
                f"{p95:.1f}",
                f"{p99:.1f}",
                str(stats.retries),
                str(stats.refused),
                str(stats.errors),
            )
    return table


def _print_checks(console: Console, report: OltpReport) -> None:
    base, svc = report.phase("baseline"), report.phase("services-place")
    if base is not None and svc is not None and base.throughput("place"):
        ratio = svc.throughput("place") / base.throughput("place")
        console.print(
            f"place-order: services {svc.throughput('place'):.0f} tx/s vs bare driver "
            f"{base.throughput('place'):.0f} tx/s = {ratio:.0%} of the baseline"
        )
    off = report.phase("no-rollups")
    for name in ("rollups", "counter-rows"):
        on = report.phase(name)
        if off is not None and on is not None and _place_and_pay(off):
            console.print(
                f"place+pay: {name} {_place_and_pay(on):.1f} tx/s vs no rollups "
                f"{_place_and_pay(off):.1f} tx/s = {_place_and_pay(on) / _place_and_pay(off):.0%}"
            )
    missing = report.missing
    console.print(
        f"acknowledged orders: {report.acknowledged}, "
        + (
            "all stored with their items"
            if not missing
            else f"{len(missing)} MISSING or wrong (first: {missing[:5]})"
        )
    )
    failed = [r for r in report.audit if not r.passed]
    console.print(
        f"audit: {len(report.audit) - len(failed)} of {len(report.audit)} checks passed"
        + "".join(f"\n  FAILED {r.name}: {r.violation_count} rows" for r in failed)
    )


def _place_and_pay(phase: PhaseResult) -> float:
    return phase.throughput("place") + phase.throughput("pay")


@bench.command("seed")
@click.option(
    "--users", "users_count", type=int, default=1000, show_default=True, help="Users to register."
)
@click.option(
    "--products",
    "products_count",
    type=int,
    default=200,
    show_default=True,
    help="Products to create (one category).",
)
@click.option("--stock", type=int, default=1000, show_default=True, help="Units per product.")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed (prices).")
@pass_shop
def seed(shop: ShopContext, users_count: int, products_count: int, stock: int, seed: int) -> None:
    """Fill an empty shop through the services, for a benchmark without 'shopdb generate'."""
    from shopdb.workload.seed import seed_shop

    seed_shop(
        shop.engine(),
        users_count=users_count,
        products_count=products_count,
        stock=stock,
        seed=seed,
    )
    click.echo(f"seeded {users_count} users and {products_count} products with {stock} units each")


def register(group: click.Group) -> None:
    """Add ``bench`` to the root command group."""
    group.add_command(bench)
