"""The sales, customers and products pages: each catalogue query as a chart and a
table, with its CSV and the chart's PNG, for the range in the URL.

A card whose query reads the rollups for the page's range (``reads_rollups``) is
rendered with the page: its cost grows with the days shown, not with the shop. Every
other card costs a scan of the orders in the range, seconds at SF 1 on SQLite, so the
page holds a placeholder that htmx swaps for the card's own fragment
(``/analytics/{page}/cards/{query}``, a full page of that one card without JavaScript),
run under a statement timeout. The page is then as fast as its rollup cards; a slow
card delays only itself.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy.engine import Engine

from shopdb.errors import NotFound, ShopError
from shopdb.queries import QueryResult, get_query, reads_rollups, run_query
from shopdb.queries.bounded import run_bounded
from shopdb.queries.formats import to_csv
from shopdb.web.charts import PAGES, SPECS, ChartSpec, chart_json, chart_png, describe, heatmap
from shopdb.web.pages_overview import shop_today
from shopdb.web.ranges import COMPARISONS, PRESETS, View, read_view
from shopdb.web.render import Timings, card, render
from shopdb.web.routing import PageRoute
from shopdb.web.security import current_staff

router = APIRouter(route_class=PageRoute)
DEFAULT_RANGE = "365d"
CARD_TIMEOUT_S = 20.0
"""A card loaded on its own is cancelled after this long; its card shows why."""


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


def _run_bounded(
    engine: Engine, spec: ChartSpec, view: View, category_id: int | None
) -> QueryResult:
    return run_bounded(engine, spec.query, CARD_TIMEOUT_S, **_params(spec, view, category_id))


def _category(request: Request) -> int | None:
    raw = request.query_params.get("category_id") or ""
    return int(raw) if raw.isdigit() else None


def _deferred(spec: ChartSpec, view: View, category_id: int | None) -> bool:
    """Whether the card loads on its own: its query would not read the rollups by days."""
    try:
        return not reads_rollups(spec.query, **_params(spec, view, category_id))
    except ShopError:  # its own request shows the reason in the card
        return True


def _loaded(timings: Timings, spec: ChartSpec, load: Callable[[], QueryResult]) -> dict[str, Any]:
    """One card's template entry: its rows, chart and text alternative, or its error."""
    loaded = card(timings, spec.query, load)
    entry: dict[str, Any] = {"spec": spec, "card": loaded, "deferred": False}
    if loaded.value is not None:
        result: QueryResult = loaded.value
        entry.update(
            rows=result.as_dicts(),
            columns=result.columns,
            chart=chart_json(spec, result) if spec.kind not in ("table", "heatmap") else None,
            heat=heatmap(result, spec) if spec.kind == "heatmap" else None,
            alt=describe(spec, result),
        )
    return entry


def _context(page: str, view: View, category_id: int | None) -> dict[str, Any]:
    return {
        "title": PAGES[page][0],
        "page": page,
        "view": view,
        "presets": PRESETS,
        "comparisons": COMPARISONS,
        "category_id": category_id,
        "query": view.query_string() + (f"&category_id={category_id}" if category_id else ""),
    }


def _page_name(page: str) -> str:
    if page not in PAGES:
        raise NotFound(f"no analytics page {page!r}: use one of {', '.join(PAGES)}")
    return page


@router.get("/analytics/{page}")
def analytics_page(request: Request, page: str) -> Response:
    """One analytics page: a card per query, each failing on its own; the cards that
    would scan the orders are placeholders loaded by their own requests."""
    staff = current_staff(request, "analytics:read")
    engine: Engine = request.app.state.engine
    timings = Timings()
    view = read_view(dict(request.query_params), shop_today(engine), DEFAULT_RANGE)
    category_id = _category(request)
    cards = [
        {"spec": spec, "deferred": True}
        if _deferred(spec, view, category_id)
        else _loaded(timings, spec, partial(_run, engine, spec, view, category_id))
        for spec in PAGES[_page_name(page)][1]
    ]
    context = {**_context(page, view, category_id), "cards": cards}
    return render(request, "analytics.html", context, staff=staff, timings=timings, fragment="view")


@router.get("/analytics/{page}/cards/{name}")
def analytics_card(request: Request, page: str, name: str) -> Response:
    """One card of an analytics page, under a statement timeout: the fragment htmx
    swaps into the page, or (a request without ``HX-Request``) a page of that card."""
    staff = current_staff(request, "analytics:read")
    specs = {spec.query: spec for spec in PAGES[_page_name(page)][1]}
    if name not in specs:
        raise NotFound(f"the {page} page has no card {name!r}")
    engine: Engine = request.app.state.engine
    timings = Timings()
    view = read_view(dict(request.query_params), shop_today(engine), DEFAULT_RANGE)
    category_id = _category(request)
    entry = _loaded(
        timings, specs[name], partial(_run_bounded, engine, specs[name], view, category_id)
    )
    context = {**_context(page, view, category_id), "cards": [entry], "entry": entry}
    fragment = request.headers.get("HX-Request") == "true"
    template = "analytics_card.html" if fragment else "analytics.html"
    return render(request, template, context, staff=staff, timings=timings)


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
