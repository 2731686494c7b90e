"""The overview: headline figures with their change, sales over time, best sellers,
revenue by category and the work queue, for the range in the URL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy.engine import Engine

from shopdb.queries import QueryResult, run_query
from shopdb.services.order_search import newest_order_day
from shopdb.web.ranges import COMPARISONS, PRESETS, DayRange, View, change_bp, read_view
from shopdb.web.render import Timings, cards, render
from shopdb.web.routing import PageRoute
from shopdb.web.security import current_staff, may

router = APIRouter(route_class=PageRoute)

KPIS = (
    ("revenue", "Revenue", "revenue_cents", "money"),
    ("orders", "Orders", "order_count", "count"),
    ("aov", "Average order value", "aov_cents", "money"),
    ("customers", "Customers", "customer_count", "count"),
    ("returning_rate", "Returning customers", "returning_rate_bp", "percent"),
    ("refunds", "Refunds", "refunded_cents", "money"),
)


def shop_today(engine: Engine) -> date:
    """The day ranges end on: today, or the newest order's day in a shop that stopped."""
    today = datetime.now(UTC).date()
    newest = newest_order_day(engine)
    return min(today, newest.date()) if newest is not None else today


def _kpis(engine: Engine, view: View) -> list[dict[str, Any]]:
    current = run_query(
        engine, "dashboard_kpis", since=view.current.since, until=view.current.until
    )
    now = current.as_dicts()[0]
    before: dict[str, Any] = {}
    if view.previous is not None:
        prev = run_query(
            engine, "dashboard_kpis", since=view.previous.since, until=view.previous.until
        )
        before = prev.as_dicts()[0]
    tiles = []
    for key, label, column, kind in KPIS:
        value, old = now[column], before.get(column)
        tiles.append(
            {
                "key": key,
                "label": label,
                "value": value,
                "previous": old,
                "kind": kind,
                "change_bp": change_bp(value, old) if view.previous is not None else None,
                # fewer refunds is good news: the colour of the change is inverted
                "good_when_down": key == "refunds",
            }
        )
    return tiles


def sales_series(engine: Engine, span: DayRange, bucket_days: int) -> list[tuple[int, int]]:
    """(revenue_cents, order_count) per bucket of ``span``, zeros where nothing sold."""
    result: QueryResult = run_query(
        engine, "sales_over_time", since=span.since, until=span.until, bucket_days=bucket_days
    )
    buckets = -(-span.days // bucket_days)
    series = [(0, 0)] * buckets
    for index, revenue, count in result.rows:
        if 0 <= index < buckets:
            series[index] = (revenue, count)
    return series


def _sales(engine: Engine, view: View) -> dict[str, Any]:
    step = view.bucket_days
    current = sales_series(engine, view.current, step)
    previous = sales_series(engine, view.previous, step) if view.previous else None
    labels = [
        (view.current.first + timedelta(days=i * step)).isoformat() for i in range(len(current))
    ]
    return {
        "labels": labels,
        "current": [r for r, _ in current],
        "orders": [c for _, c in current],
        "previous": None if previous is None else [r for r, _ in previous[: len(current)]],
        "bucket_days": step,
    }


@router.get("/")
def overview(request: Request) -> Response:
    """The overview page for ``?range=..&compare=..`` (and ``from``/``to`` when custom)."""
    staff = current_staff(request, "orders:read")
    engine: Engine = request.app.state.engine
    timings = Timings()
    with timings.measure("today"):
        today = shop_today(engine)
    view = read_view(dict(request.query_params), today)
    context: dict[str, Any] = {
        "view": view,
        "today": today,
        "analytics": may(staff, "analytics:read"),
    }
    loads: dict[str, Callable[[], Any]] = {
        "operations": lambda: run_query(engine, "operations_summary").as_dicts()[0]
    }
    if context["analytics"]:  # a clerk's overview is the work queue alone
        loads |= {
            "kpis": lambda: _kpis(engine, view),
            "sales": lambda: _sales(engine, view),
            "top_products": lambda: run_query(
                engine,
                "best_selling_products",
                limit=8,
                since=view.current.since,
                until=view.current.until,
            ).as_dicts(),
            "categories": lambda: sorted(
                run_query(
                    engine,
                    "revenue_by_category",
                    since=view.current.since,
                    until=view.current.until,
                ).as_dicts(),
                key=lambda r: -r["revenue_cents"],
            )[:10],
        }
    loaded = cards(timings, loads)
    context["ops"] = loaded["operations"]
    if not context["analytics"]:
        return render(
            request, "overview.html", context, staff=staff, timings=timings, fragment="view"
        )
    context |= {
        "presets": PRESETS,
        "comparisons": COMPARISONS,
        "kpis": loaded["kpis"],
        "sales": loaded["sales"],
        "top": loaded["top_products"],
        "categories": loaded["categories"],
    }
    return render(request, "overview.html", context, staff=staff, timings=timings, fragment="view")
