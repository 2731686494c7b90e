"""The sales, customers and products pages: each catalogue query as a chart and a
table, with its CSV and the chart's PNG, for the range in the URL."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy.engine import Engine

from shopdb.errors import NotFound
from shopdb.queries import QueryResult, get_query, run_query
from shopdb.queries.formats import to_csv
from shopdb.web.charts import PAGES, SPECS, ChartSpec, chart_json, chart_png, describe, heatmap
from shopdb.web.pages_overview import shop_today
from shopdb.web.ranges import COMPARISONS, PRESETS, View, read_view
from shopdb.web.render import Timings, card, render
from shopdb.web.routing import PageRoute
from shopdb.web.security import current_staff

router = APIRouter(route_class=PageRoute)
DEFAULT_RANGE = "365d"


def _params(spec: ChartSpec, view: View, category_id: int | None) -> dict[str, Any]:
    takes = {p.name for p in get_query(spec.query).params}
    params: dict[str, Any] = dict(spec.params)
    if "since" in takes:
        params.update(since=view.current.since, until=view.current.until)
    if "as_of" in takes:
        params["as_of"] = view.current.until
    if "category_id" in takes and category_id is not None:
        params["category_id"] = category_id
    return params


def _run(engine: Engine, spec: ChartSpec, view: View, category_id: int | None) -> QueryResult:
    return run_query(engine, spec.query, **_params(spec, view, category_id))


def _category(request: Request) -> int | None:
    raw = request.query_params.get("category_id") or ""
    return int(raw) if raw.isdigit() else None


@router.get("/analytics/{page}")
def analytics_page(request: Request, page: str) -> Response:
    """One analytics page: a card per query, each failing on its own."""
    staff = current_staff(request, "analytics:read")
    if page not in PAGES:
        raise NotFound(f"no analytics page {page!r}: use one of {', '.join(PAGES)}")
    engine: Engine = request.app.state.engine
    timings = Timings()
    view = read_view(dict(request.query_params), shop_today(engine), DEFAULT_RANGE)
    category_id = _category(request)
    title, specs = PAGES[page]
    cards = []
    for spec in specs:
        loaded = card(timings, spec.query, partial(_run, engine, spec, view, category_id))
        entry: dict[str, Any] = {"spec": spec, "card": loaded}
        if loaded.value is not None:
            result: QueryResult = loaded.value
            entry.update(
                rows=result.as_dicts(),
                columns=result.columns,
                chart=chart_json(spec, result) if spec.kind not in ("table", "heatmap") else None,
                heat=heatmap(result, spec) if spec.kind == "heatmap" else None,
                alt=describe(spec, result),
            )
        cards.append(entry)
    context = {
        "title": title,
        "page": page,
        "cards": cards,
        "view": view,
        "presets": PRESETS,
        "comparisons": COMPARISONS,
        "category_id": category_id,
        "query": view.query_string() + (f"&category_id={category_id}" if category_id else ""),
    }
    return render(request, "analytics.html", context, staff=staff, timings=timings)


def _spec(name: str) -> ChartSpec:
    if name not in SPECS:
        raise NotFound(f"no chart for query {name!r}")
    return SPECS[name]


@router.get("/analytics/query/{name}.csv")
def query_csv(request: Request, name: str) -> Response:
    """A query's rows for the page's range, as CSV."""
    current_staff(request, "analytics:read")
    engine: Engine = request.app.state.engine
    view = read_view(dict(request.query_params), shop_today(engine), DEFAULT_RANGE)
    result = _run(engine, _spec(name), view, _category(request))
    return Response(
        to_csv(result),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@router.get("/analytics/query/{name}.png")
def query_png(request: Request, name: str) -> Response:
    """A query's chart for the page's range, as PNG."""
    current_staff(request, "analytics:read")
    engine: Engine = request.app.state.engine
    view = read_view(dict(request.query_params), shop_today(engine), DEFAULT_RANGE)
    spec = _spec(name)
    return Response(
        chart_png(spec, _run(engine, spec, view, _category(request))), media_type="image/png"
    )
