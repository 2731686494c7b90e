"""The realism report: every measure read back from a shop and set against its target."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from shopdb.realism.measures import (
    EPOCH,
    Values,
    basket_measures,
    calendar_measures,
    catalogue_measures,
    category_prices,
    customer_measures,
    price_measures,
    service_measures,
)
from shopdb.realism.pairs import Pair, pair_dict, pair_measures, pairs_from, strongest
from shopdb.realism.source import Source
from shopdb.realism.targets import TARGETS, Target

EPOCH_AT = datetime(EPOCH.year, EPOCH.month, EPOCH.day, tzinfo=UTC)


@dataclass(frozen=True)
class Measure:
    """One measured property, its target and whether it is met."""

    name: str
    value: float | None
    target: Target

    @property
    def ok(self) -> bool:
        """The value is known and within the target range."""
        return self.value is not None and self.target.low <= self.value <= self.target.high

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready values (an open upper bound is ``None``)."""
        high = None if self.target.high == float("inf") else self.target.high
        return {
            "name": self.name,
            "label": self.target.label,
            "value": None if self.value is None else round(self.value, 4),
            "low": self.target.low,
            "high": high,
            "unit": self.target.unit,
            "ok": self.ok,
            "basis": self.target.basis,
        }


@dataclass(frozen=True)
class RealismReport:
    """The measures, the price range per category and the strongest pairs."""

    measures: list[Measure]
    prices: dict[str, tuple[int, int, int]]
    pairs: list[Pair]

    @property
    def failed(self) -> list[Measure]:
        """The measures outside their targets (or not measurable)."""
        return [m for m in self.measures if not m.ok]

    def summary(self) -> str:
        """One line: how many measures meet their targets, and which do not."""
        line = f"realism: {len(self.measures) - len(self.failed)} of {len(self.measures)} "
        line += "measures within target"
        return line + (f" (off: {', '.join(m.name for m in self.failed)})" if self.failed else "")

    def as_dict(self) -> dict[str, Any]:
        """The whole report as JSON-ready values."""
        return {
            "measures": [m.as_dict() for m in self.measures],
            "category_prices_cents": {
                k: {"p10": v[0], "median": v[1], "p90": v[2]} for k, v in self.prices.items()
            },
            "strongest_pairs": [pair_dict(p) for p in self.pairs],
            "summary": self.summary(),
        }


def realism_report(source: Source) -> RealismReport:
    """Run every realism query on ``source`` and measure the shop against the targets."""
    daily = source.rows("daily_orders")
    values: Values = calendar_measures(daily, source.rows("hourly_orders"))
    order_count = sum(int(n) for _, n in daily)
    start, year_ago = _period(daily)
    values |= catalogue_measures(
        source.rows(
            "product_sales",
            period_start=start,
            first_year_until=start + timedelta(days=365),
            last_year_since=year_ago,
        ),
        order_count,
    )
    seconds = source.rows("second_orders", cutoff=year_ago)
    values |= customer_measures(source.rows("customer_orders"), seconds)
    values |= basket_measures(source.rows("basket_sizes"))
    pairs = pairs_from(source.rows("product_pairs", min_orders=2))
    values |= pair_measures(pairs)
    prices = source.rows("product_prices")
    values |= price_measures(prices)
    values |= service_measures(source.rows("delivery_days"), source.rows("payment_attempts"))
    measures = [Measure(name, values.get(name), target) for name, target in TARGETS.items()]
    return RealismReport(measures, category_prices(prices), strongest(pairs))


def _period(daily: list[tuple[Any, ...]]) -> tuple[datetime, datetime]:
    """The first order day's midnight, and the midnight a year before the last day ends."""
    if not daily:
        return EPOCH_AT, EPOCH_AT
    first = EPOCH_AT + timedelta(days=int(daily[0][0]))
    end = EPOCH_AT + timedelta(days=int(daily[-1][0]) + 1)
    return first, end - timedelta(days=365)


def format_value(value: float | None, unit: str) -> str:
    """A measure's value as the report prints it."""
    if value is None:
        return "n/a"
    if unit == "share":
        return f"{value:.1%}"
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:,.1f}" if unit == "items" else f"{value:,.0f}"


def format_report(report: RealismReport) -> list[str]:
    """The report as lines of text: the measures, prices per category, strongest pairs."""
    lines = []
    for m in report.measures:
        t = m.target
        high = "" if t.high == float("inf") else format_value(t.high, t.unit)
        target = f"{format_value(t.low, t.unit)}..{high}"
        verdict = "ok " if m.ok else "OFF"
        value = format_value(m.value, t.unit)
        lines.append(f"{verdict} {m.name:<26}{value:>10}  target {target:<16} {t.label}")
    lines.append("")
    lines.append("prices per top-level category (p10 / median / p90):")
    for name, (p10, p50, p90) in report.prices.items():
        lines.append(f"  {name:<20}{p10 / 100:>10,.2f}{p50 / 100:>10,.2f}{p90 / 100:>10,.2f}")
    lines.append("")
    lines.append("strongest pairs (lift, orders together, complement per the catalogue):")
    for p in report.pairs:
        mark = "complement" if p.is_complement else "-"
        lines.append(
            f"  {p.lift:>7.1f} {p.pair_orders:>5}  {mark:<10}  {p.product_a} + {p.product_b}"
        )
    lines.append("")
    lines.append(report.summary())
    return lines
