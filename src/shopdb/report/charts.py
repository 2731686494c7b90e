"""The report's charts, drawn with matplotlib's Agg canvas (no display, no global state)."""

from __future__ import annotations

import io
from typing import Any

from matplotlib.figure import Figure

from shopdb.queries import QueryResult

_BLUE = "#2f6db5"
_ORANGE = "#e07b28"
_GREY = "#9aa5b1"


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def _rows(result: QueryResult) -> list[dict[str, Any]]:
    return result.as_dicts()


def _empty(figure: Figure, title: str) -> Figure:
    ax = figure.add_subplot()
    ax.set_title(title)
    ax.text(0.5, 0.5, "no data", ha="center", va="center", color=_GREY)
    ax.set_axis_off()
    return figure


def monthly_trend(monthly: QueryResult) -> Figure:
    """Revenue per month as bars, average order value as a line on its own axis."""
    rows = _rows(monthly)
    figure = Figure(figsize=(10, 4))
    if not rows:
        return _empty(figure, "Monthly revenue")
    months = [r["month"] for r in rows]
    ax = figure.add_subplot()
    ax.bar(months, [r["revenue_cents"] / 100 for r in rows], color=_BLUE, label="revenue")
    ax.set_ylabel("revenue")
    ax.set_title("Monthly revenue and average order value", pad=22)
    step = max(1, len(months) // 12)
    ax.set_xticks(range(0, len(months), step), months[::step], rotation=45, ha="right")
    line = ax.twinx()
    aov = [float("nan") if r["aov_cents"] is None else r["aov_cents"] / 100 for r in rows]
    line.plot(months, aov, color=_ORANGE, marker="o", markersize=3, label="average order value")
    line.set_ylabel("average order value")
    line.set_ylim(bottom=0)
    handles = ax.get_legend_handles_labels()[0] + line.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    return figure


def category_revenue(by_category: QueryResult, top: int = 15) -> Figure:
    """The categories with the most item revenue, as horizontal bars."""
    rows = [r for r in _rows(by_category) if r["revenue_cents"] > 0][:top]
    figure = Figure(figsize=(10, max(3.0, 0.35 * len(rows) + 1)))
    if not rows:
        return _empty(figure, "Revenue by category")
    ax = figure.add_subplot()
    labels = [f"{r['top_category_name']} / {r['category_name']}" for r in rows][::-1]
    ax.barh(labels, [r["revenue_cents"] / 100 for r in rows][::-1], color=_BLUE)
    ax.set_xlabel("item revenue")
    ax.set_title(f"Revenue by category (top {len(rows)})")
    return figure


def cohort_heatmap(cohorts: QueryResult, last: int = 24) -> Figure:
    """Share of each first-order cohort ordering again N months later, as a heat map."""
    rows = _rows(cohorts)
    figure = Figure(figsize=(10, 6))
    if not rows:
        return _empty(figure, "Cohort retention")
    names = sorted({r["cohort_month"] for r in rows})[-last:]
    width = max(r["months_since_first"] for r in rows if r["cohort_month"] in names) + 1
    grid = [[float("nan")] * width for _ in names]
    for r in rows:
        if r["cohort_month"] in names:
            grid[names.index(r["cohort_month"])][r["months_since_first"]] = r["retention_bp"] / 100
    ax = figure.add_subplot()
    # month 0 is always 100%; capping the scale keeps the later months readable
    later = [v for row in grid for v in row[1:] if v == v]
    image = ax.imshow(grid, aspect="auto", cmap="Blues", vmin=0, vmax=max(later, default=100))
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel("months since first order")
    ax.set_ylabel("cohort (first-order month)")
    ax.set_title("Cohort retention: % of customers ordering again")
    figure.colorbar(image, ax=ax, label="% of cohort")
    return figure


def payment_mix(mix: QueryResult) -> Figure:
    """Captured amount per payment method, with each method's failure rate."""
    rows = _rows(mix)
    figure = Figure(figsize=(10, 4))
    if not rows:
        return _empty(figure, "Payment methods")
    share_ax, fail_ax = figure.subplots(1, 2)
    methods = [r["method"] for r in rows]
    share_ax.bar(methods, [r["captured_cents"] / 100 for r in rows], color=_BLUE)
    share_ax.set_title("Captured amount by method")
    fail_ax.bar(methods, [r["failure_rate_bp"] / 100 for r in rows], color=_ORANGE)
    fail_ax.set_title("Failure rate (% of attempts)")
    return figure


def status_funnel(funnel: QueryResult) -> Figure:
    """Orders reaching each stage, placed at the top."""
    rows = _rows(funnel)
    figure = Figure(figsize=(10, 3.5))
    if not rows or rows[0]["order_count"] == 0:
        return _empty(figure, "Order status funnel")
    ax = figure.add_subplot()
    colours = [_BLUE] * 4 + [_GREY, _ORANGE]
    labels = [r["stage"] for r in rows][::-1]
    counts = [r["order_count"] for r in rows][::-1]
    bars = ax.barh(labels, counts, color=colours[: len(rows)][::-1])
    for bar, r in zip(bars, rows[::-1], strict=True):
        ax.text(
            bar.get_width(),
            bar.get_y() + bar.get_height() / 2,
            f" {r['share_of_placed_bp'] / 100:.1f}%",
            va="center",
        )
    ax.set_xlim(0, max(counts) * 1.15)
    ax.set_title("Order status funnel (share of placed orders)")
    ax.set_xlabel("orders")
    return figure
