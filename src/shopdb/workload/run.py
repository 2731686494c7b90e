"""One ``bench oltp`` run: the same-run comparison, the mixed workload, and the checks after."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from shopdb.audit import CheckResult, run_checks
from shopdb.errors import InvalidInput
from shopdb.rollups.build import rebuild_all, refresh
from shopdb.rollups.maintain import COUNTER_ROWS, MAINTAIN_OPTION
from shopdb.rollups.refresher import Refresher
from shopdb.workload.baseline import run_baseline
from shopdb.workload.catalog import Catalog, load_catalog, top_up
from shopdb.workload.clients import Ack, run_clients
from shopdb.workload.stats import PhaseResult
from shopdb.workload.verify import missing_acknowledged

COMPARE_ROUNDS = 2
"""Baseline and services alternate this many times, so a load swing on a shared machine
hits both sides alike."""


MAX_CLIENTS = 1_000
MAX_DURATION_S = 86_400


@dataclass(frozen=True)
class OltpConfig:
    """What to run: clients, seconds per phase, the mix, the hot set, the comparison."""

    clients: int
    duration_s: float
    mix: dict[str, int]
    hot_products: int | None = None
    compare: bool = True
    seed: int = 1
    top_up: int = 0
    rollup_compare: bool = False
    refresh_every_s: float = 1.0
    counter_rows: bool = False

    def __post_init__(self) -> None:
        """Refuse a run that could not end (``inf``) or would measure nothing (``nan``).

        Raises:
            InvalidInput: clients or seconds out of range.
        """
        if not 1 <= self.clients <= MAX_CLIENTS:
            raise InvalidInput(f"clients must be from 1 to {MAX_CLIENTS}, got {self.clients}")
        if not (math.isfinite(self.duration_s) and 0 < self.duration_s <= MAX_DURATION_S):
            raise InvalidInput(
                f"duration_s must be a number of seconds above 0 and at most "
                f"{MAX_DURATION_S:,}, got {self.duration_s}"
            )


@dataclass
class OltpReport:
    """Every phase's figures, and what the checks after the run found."""

    phases: list[PhaseResult] = field(default_factory=list)
    topped_up: int = 0
    folded: int = 0
    acknowledged: int = 0
    missing: list[int] = field(default_factory=list)
    audit: list[CheckResult] = field(default_factory=list)

    def phase(self, name: str) -> PhaseResult | None:
        """The phase called ``name``, if it ran."""
        return next((p for p in self.phases if p.name == name), None)

    @property
    def clean(self) -> bool:
        """No error reached a caller, every ack is stored, every audit check passed."""
        return (
            not self.missing
            and all(r.passed for r in self.audit)
            and all(p.errors == 0 for p in self.phases)
        )


def run_oltp(engine: Engine, config: OltpConfig) -> OltpReport:
    """Run the phases against a database that holds users and products, then check it.

    With ``top_up``, products in play are restocked to that floor before the run and
    before each comparison slice.

    Phases: with ``compare``, ``baseline`` (bare driver) and ``services-place`` (the
    services, place-order only) alternate in ``COMPARE_ROUNDS`` rounds that together
    last ``duration_s`` each; then ``mixed`` runs the mix for ``duration_s`` unless the
    mix is place-order only.
    """
    catalog = load_catalog(engine, config.hot_products)
    report = OltpReport()
    _refill(engine, catalog, config, report)
    acks: list[Ack] = []
    if config.compare:
        slice_s = config.duration_s / COMPARE_ROUNDS
        base = PhaseResult("baseline", config.clients, config.duration_s)
        svc = PhaseResult("services-place", config.clients, config.duration_s)
        for round_no in range(COMPARE_ROUNDS):
            seed = config.seed * 100 + round_no
            _refill(engine, catalog, config, report)
            part, got = run_baseline(engine, catalog, config.clients, slice_s, seed=seed)
            base.merge(part)
            acks += got
            # each side starts from the same stock floor: neither sells the other's units
            _refill(engine, catalog, config, report)
            part, got = run_clients(
                engine, catalog, {"place": 1} | _zero_rest(), config.clients, slice_s, seed=seed
            )
            svc.merge(part)
            acks += got
        report.phases += [base, svc]
    if config.rollup_compare:
        acks += _compare_rollups(engine, catalog, config, report)
    if not config.compare or any(w for k, w in config.mix.items() if k != "place"):
        with _refresher(engine, config.refresh_every_s, report):
            mixed, got = run_clients(
                engine,
                catalog,
                config.mix,
                config.clients,
                config.duration_s,
                name="mixed",
                seed=config.seed,
            )
        report.phases.append(mixed)
        acks += got
    report.acknowledged = len(acks)
    report.missing = missing_acknowledged(engine, acks)
    report.audit = run_checks(engine)
    return report


PLACE_AND_PAY = {"place": 1, "pay": 1, "cancel": 0, "refund": 0, "restock": 0, "lookup": 0}


def _compare_rollups(
    engine: Engine, catalog: Catalog, config: OltpConfig, report: OltpReport
) -> list[Ack]:
    """Place and pay without rollup maintenance and with it (and with ``counter_rows``,
    the counter-row design too), alternating; then rebuild the rollups the unmaintained
    slices left stale, so the mixed phase and the audit after it test maintenance from
    an exact start."""
    slice_s = config.duration_s / COMPARE_ROUNDS
    off = PhaseResult("no-rollups", config.clients, config.duration_s)
    on = PhaseResult("rollups", config.clients, config.duration_s)
    sides = [(engine.execution_options(**{MAINTAIN_OPTION: False}), off), (engine, on)]
    if config.counter_rows:
        counter = PhaseResult("counter-rows", config.clients, config.duration_s)
        sides.append((engine.execution_options(**{MAINTAIN_OPTION: COUNTER_ROWS}), counter))
    acks: list[Ack] = []
    for round_no in range(COMPARE_ROUNDS):
        seed = config.seed * 100 + round_no + 50
        for target, phase in sides:
            _refill(engine, catalog, config, report)
            part, got = run_clients(
                target, catalog, PLACE_AND_PAY, config.clients, slice_s, seed=seed
            )
            phase.merge(part)
            acks += got
    report.phases += [phase for _, phase in sides]
    rebuild_all(engine)
    return acks


@contextmanager
def _refresher(engine: Engine, every_s: float, report: OltpReport) -> Iterator[None]:
    """Fold the rollups' change log every ``every_s`` seconds while the clients run, so
    the audit also covers folds racing the services (0: no folding)."""
    refresher = Refresher(engine, every_s)
    try:
        with refresher:
            yield
    finally:
        report.folded += refresher.folded
        if every_s > 0:
            report.folded += refresh(engine)


def _refill(engine: Engine, catalog: Catalog, config: OltpConfig, report: OltpReport) -> None:
    if config.top_up > 0:
        report.topped_up += top_up(engine, catalog, config.top_up)


def _zero_rest() -> dict[str, int]:
    return {"pay": 0, "cancel": 0, "refund": 0, "restock": 0, "lookup": 0}
