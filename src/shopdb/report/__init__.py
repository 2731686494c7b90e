"""The analytics report: one self-contained HTML file, and its charts as PNG files.

``write_report`` runs the analytics queries, draws the charts with matplotlib (embedded
as base64 PNG, so the file opens offline) and returns the headline figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from shopdb.db.schema import orders
from shopdb.db.snapshot import read_snapshot
from shopdb.db.types import utcnow
from shopdb.money import money
from shopdb.queries import QueryResult, run_query
from shopdb.report import charts, page


@dataclass(frozen=True)
class Headline:
    """The report's headline figures."""

    as_of: datetime
    revenue_cents: int
    order_count: int
    aov_cents: int | None
    customer_count: int
    repeat_rate_bp: int | None
    refunded_order_count: int
    refunded_cents: int
    unpaid_order_count: int
    unpaid_cents: int
    low_stock_count: int

    def lines(self) -> list[str]:
        """The figures as short lines for a terminal."""
        return [
            f"revenue            {money(self.revenue_cents)}",
            f"recognized orders  {self.order_count:,}",
            f"average order      {money(self.aov_cents)}",
            f"customers          {self.customer_count:,}",
            f"repeat customers   {page.percent(self.repeat_rate_bp)}",
            f"refunded orders    {self.refunded_order_count:,} ({money(self.refunded_cents)})",
            f"unpaid orders      {self.unpaid_order_count:,} ({money(self.unpaid_cents)})",
            f"low-stock products {self.low_stock_count:,}",
        ]


def data_as_of(engine: Engine) -> datetime:
    """The latest order's time (the data's own "now"), or the clock in an empty shop."""
    with engine.connect() as conn:
        latest = conn.execute(select(func.max(orders.c.created_at))).scalar()
    if latest is None:
        return utcnow()
    if isinstance(latest, str):  # SQLite returns max() of a timestamp as text
        latest = datetime.fromisoformat(latest)
    return latest.replace(tzinfo=latest.tzinfo or utcnow().tzinfo)


def gather(engine: Engine, as_of: datetime) -> dict[str, QueryResult]:
    """Every query result the report shows, all read from one snapshot."""
    with read_snapshot(engine) as conn:
        return {
            "total": run_query(conn, "total_revenue"),
            "aov": run_query(conn, "average_order_value"),
            "repeat": run_query(conn, "repeat_purchase_rate"),
            "refunds": run_query(conn, "refund_and_cancellation_rates"),
            "monthly": run_query(conn, "monthly_revenue"),
            "categories": run_query(conn, "revenue_by_category"),
            "cohorts": run_query(conn, "cohort_retention"),
            "payments": run_query(conn, "payment_method_mix"),
            "funnel": run_query(conn, "order_status_funnel"),
            "customers": run_query(conn, "top_customers", limit=10),
            "products": run_query(conn, "best_selling_products", limit=10),
            "low_stock": run_query(conn, "low_inventory", as_of=as_of),
            "unpaid": run_query(conn, "unpaid_orders", as_of=as_of),
            "countries": run_query(conn, "revenue_by_country", limit=10),
        }


def headline(results: dict[str, QueryResult], as_of: datetime) -> Headline:
    """The headline figures from the gathered results."""
    revenue_cents, order_count = results["total"].rows[0]
    repeat = results["repeat"].as_dicts()[0]
    unpaid = results["unpaid"].as_dicts()
    refunds = results["refunds"].as_dicts()
    return Headline(
        as_of=as_of,
        revenue_cents=revenue_cents,
        order_count=order_count,
        aov_cents=results["aov"].rows[0][0],
        customer_count=repeat["customer_count"],
        repeat_rate_bp=repeat["repeat_rate_bp"],
        refunded_order_count=sum(r["refunded_count"] for r in refunds),
        refunded_cents=sum(r["refunded_cents"] for r in refunds),
        unpaid_order_count=len(unpaid),
        unpaid_cents=sum(r["total_cents"] for r in unpaid),
        low_stock_count=len(results["low_stock"].rows),
    )


def write_report(
    engine: Engine,
    out_path: str | Path,
    png_dir: str | Path | None = None,
    *,
    as_of: datetime | None = None,
) -> Headline:
    """Write the HTML report to ``out_path`` (and each chart to ``png_dir``).

    Args:
        engine: the shop to report on; only read.
        out_path: the HTML file to write (replaced if it exists).
        png_dir: a folder for the charts as PNG files, created if missing.
        as_of: the moment unpaid ages and recent sales end at; default: the latest
            order's time, so a generated shop reads as it was when generation ended.

    Returns:
        The headline figures.
    """
    moment = as_of or data_as_of(engine)
    results = gather(engine, moment)
    figures = {
        "monthly_revenue": charts.monthly_trend(results["monthly"]),
        "revenue_by_category": charts.category_revenue(results["categories"]),
        "cohort_retention": charts.cohort_heatmap(results["cohorts"]),
        "payment_mix": charts.payment_mix(results["payments"]),
        "status_funnel": charts.status_funnel(results["funnel"]),
    }
    pngs = {name: charts.png_bytes(figure) for name, figure in figures.items()}
    if png_dir is not None:
        folder = Path(png_dir)
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in pngs.items():
            (folder / f"{name}.png").write_bytes(data)
    head = headline(results, moment)
    Path(out_path).write_text(page.render(head, results, pngs), encoding="utf-8")
    return head


__all__ = ["Headline", "write_report"]
