"""How each analytics query is drawn: which page it is on, its chart, its parameters.

One table serves the browser's chart (a JSON description Chart.js draws), the chart's
PNG (matplotlib, like the report) and the text alternative, so the three never differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matplotlib.figure import Figure

from shopdb.queries import QueryResult
from shopdb.report.charts import png_bytes


@dataclass(frozen=True)
class ChartSpec:
    """One query on an analytics page.

    Attributes:
        query: the catalogue query.
        title: the card's heading.
        kind: ``bar``, ``hbar``, ``line``, ``heatmap`` or ``table`` (no chart).
        x: the column along the axis (or the rows of a heat map).
        y: the columns drawn (or the heat map's columns, then its value).
        params: fixed parameters beyond the page's range.
    """

    query: str
    title: str
    kind: str
    x: str = ""
    y: tuple[str, ...] = ()
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def money(self) -> bool:
        """Whether the drawn values are cents."""
        return all(c.endswith("_cents") for c in self.y) and bool(self.y)


PAGES: dict[str, tuple[str, tuple[ChartSpec, ...]]] = {
    "sales": (
        "Sales",
        (
            ChartSpec("monthly_revenue", "Revenue per month", "bar", "month", ("revenue_cents",)),
            ChartSpec(
                "yoy_growth",
                "Revenue against the same month a year before",
                "line",
                "month",
                ("revenue_cents", "previous_year_revenue_cents"),
            ),
            ChartSpec(
                "order_status_funnel", "Order status funnel", "hbar", "stage", ("order_count",)
            ),
            ChartSpec(
                "payment_method_mix", "Payment methods", "bar", "method", ("captured_cents",)
            ),
            ChartSpec(
                "revenue_by_country",
                "Revenue by country",
                "hbar",
                "country_code",
                ("revenue_cents",),
                (("limit", 15),),
            ),
            ChartSpec(
                "refund_and_cancellation_rates",
                "Cancellations and refunds per month",
                "line",
                "month",
                ("cancelled_count", "refunded_count"),
            ),
            ChartSpec(
                "new_vs_returning_revenue",
                "Revenue from new and returning customers",
                "bar",
                "month",
                ("new_revenue_cents", "returning_revenue_cents"),
            ),
            # SF 1: 2.3-6.1 ms over 365 days (bench_range_cards, 2026-12-06 23:29): both
            # periods as signed spans of the category rollups, a row per category and bucket
            ChartSpec("category_growth", "Top-level categories per year", "table"),
        ),
    ),
    "customers": (
        "Customers",
        (
            ChartSpec(
                "cohort_retention",
                "Cohort retention",
                "heatmap",
                "cohort_month",
                ("months_since_first", "retention_bp"),
            ),
            ChartSpec("rfm_segments", "RFM segments", "hbar", "segment", ("customer_count",)),
            ChartSpec("repeat_purchase_rate", "Repeat purchase rate", "table"),
            ChartSpec(
                "customer_lifetime_value",
                "Lifetime value per first-order cohort",
                "bar",
                "cohort_month",
                ("clv_cents",),
            ),
            ChartSpec("top_customers", "Best customers", "table", params=(("limit", 20),)),
        ),
    ),
    "products": (
        "Products",
        (
            ChartSpec(
                "best_selling_products",
                "Best sellers",
                "hbar",
                "sku",
                ("units_sold",),
                (("limit", 15),),
            ),
            ChartSpec(
                "revenue_by_category",
                "Revenue by category",
                "hbar",
                "category_name",
                ("revenue_cents",),
            ),
            ChartSpec(
                "frequently_bought_together",
                "Bought together (basket pairs)",
                "table",
                params=(("limit", 20),),
            ),
            ChartSpec("low_inventory", "Low inventory", "table"),
        ),
    ),
}
SPECS = {spec.query: spec for _, specs in PAGES.values() for spec in specs}


def _labels(result: QueryResult, spec: ChartSpec) -> list[str]:
    return ["-" if r[spec.x] is None else str(r[spec.x]) for r in result.as_dicts()]


HBAR_ROWS = 20
"""A horizontal bar chart draws the first rows only; its table holds them all."""


def chart_json(spec: ChartSpec, result: QueryResult) -> dict[str, Any]:
    """What the browser's chart draws: labels, one series per ``y`` column."""
    rows = result.as_dicts()
    if spec.kind == "hbar":
        rows = rows[:HBAR_ROWS]
    kind = {"hbar": "bar"}.get(spec.kind, spec.kind)
    return {
        "type": kind,
        "horizontal": spec.kind == "hbar",
        "labels": ["-" if r[spec.x] is None else str(r[spec.x]) for r in rows],
        "series": [
            {"label": c.removesuffix("_cents").replace("_", " "), "data": [r[c] for r in rows]}
            for c in spec.y
        ],
        "money": spec.money,
    }


def describe(spec: ChartSpec, result: QueryResult) -> str:
    """The chart's text alternative: what it shows and its largest values."""
    rows = result.as_dicts()
    if not rows or spec.kind in ("table", "heatmap"):
        return f"{spec.title}: {len(rows)} rows, listed in the table below."
    first = spec.y[0]
    best = max(rows, key=lambda r: r[first] or 0)
    shown = best[first]
    value = f"{shown / 100:,.2f}" if first.endswith("_cents") else f"{shown}"
    return (
        f"{spec.title}: {len(rows)} {spec.x.replace('_', ' ')} values; the highest "
        f"{first.removesuffix('_cents').replace('_', ' ')} is {value} for {best[spec.x]}. "
        "The table below lists every value."
    )


def heatmap(result: QueryResult, spec: ChartSpec) -> dict[str, Any]:
    """A heat map's rows, columns and cells (value, then a 0-1 shade)."""
    column, value = spec.y
    rows = result.as_dicts()
    keys = sorted({r[spec.x] for r in rows})
    columns = sorted({r[column] for r in rows})
    cells = {(r[spec.x], r[column]): r[value] for r in rows}
    top = max((v for v in cells.values() if v is not None), default=0) or 1
    return {
        "rows": keys,
        "columns": columns,
        "cells": {
            (k, c): (cells.get((k, c)), (cells.get((k, c)) or 0) / top)
            for k in keys
            for c in columns
        },
    }


def chart_png(spec: ChartSpec, result: QueryResult) -> bytes:
    """The chart as a PNG, drawn with matplotlib."""
    rows = result.as_dicts()
    figure = Figure(figsize=(9, 4))
    ax = figure.add_subplot()
    ax.set_title(spec.title)
    if not rows or spec.kind == "table":
        ax.text(0.5, 0.5, "no chart: see the table", ha="center", va="center")
        ax.set_axis_off()
        return png_bytes(figure)
    if spec.kind == "heatmap":
        data = heatmap(result, spec)
        grid = [[data["cells"][(k, c)][1] for c in data["columns"]] for k in data["rows"]]
        ax.imshow(grid, aspect="auto", cmap="Blues")
        ax.set_yticks(range(len(data["rows"])), [str(k) for k in data["rows"]], fontsize=6)
        ax.set_xlabel(spec.y[0].replace("_", " "))
        return png_bytes(figure)
    if spec.kind == "hbar":
        rows = rows[:HBAR_ROWS]
    labels = ["-" if r[spec.x] is None else str(r[spec.x]) for r in rows]
    scale = 100 if spec.money else 1
    for column in spec.y:
        values = [(r[column] or 0) / scale for r in rows]
        label = column.removesuffix("_cents").replace("_", " ")
        if spec.kind == "line":
            ax.plot(labels, values, label=label)
        elif spec.kind == "hbar":
            ax.barh(labels, values, label=label)
            ax.invert_yaxis()
        else:
            ax.bar(labels, values, label=label)
    if len(spec.y) > 1:
        ax.legend()
    if spec.kind != "hbar":
        step = max(1, len(labels) // 12)
        ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, ha="right")
    return png_bytes(figure)
