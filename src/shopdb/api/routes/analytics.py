"""``/v1/analytics``: the query catalogue, and each query's rows as JSON or CSV.

The rows are exactly what ``shopdb query NAME --format json`` prints for the same
parameters: the same runner, the same JSON rendering (``queries.formats``), with one
difference by design: for a key without ``customers:email`` the ``email`` column is
masked. Queries run on their own small connection pool and threads, under a statement
timeout (then 503), so a burst of slow analytics cannot take the order endpoints'
connections or threads.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Header, Path, Query, Request, Response
from pydantic import BaseModel

from shopdb.access import mask_email
from shopdb.api.deps import Principal, needs
from shopdb.api.problems import ApiProblem
from shopdb.api.responses import with_errors
from shopdb.api.threads import ThreadedRoute
from shopdb.queries import QUERIES
from shopdb.queries.bounded import run_bounded
from shopdb.queries.formats import to_csv, to_json
from shopdb.queries.runner import QueryResult, get_query

router = APIRouter(tags=["analytics"], route_class=ThreadedRoute)
PARAM_NAMES = (
    "since",
    "until",
    "as_of",
    "limit",
    "category_id",
    "min_orders",
    "window_days",
    "bucket_days",
)
"""Every parameter some query takes (a test keeps this equal to the catalogue's)."""
ParamText = Annotated[str | None, Query(max_length=40, pattern=r"^[^\x00]*$")]


class ColumnInfo(BaseModel):
    """A result column."""

    name: str
    kind: str
    help: str


class ParamInfo(BaseModel):
    """A parameter a query takes."""

    name: str
    kind: str
    help: str
    default: int | None


class QueryInfo(BaseModel):
    """One query of the catalogue."""

    name: str
    description: str
    columns: list[ColumnInfo]
    params: list[ParamInfo]


class Catalogue(BaseModel):
    """Every analytics query."""

    data: list[QueryInfo]


class Rows(BaseModel):
    """A query's rows, as ``shopdb query NAME --format json`` prints them."""

    data: list[dict[str, Any]]


@router.get("/analytics")
def catalogue(_: Annotated[Principal, needs("analytics:read")]) -> Catalogue:
    """The queries, their columns and parameters."""
    return Catalogue(
        data=[
            QueryInfo(
                name=spec.name,
                description=spec.description,
                columns=[ColumnInfo(**dataclasses.asdict(c)) for c in spec.columns],
                params=[
                    ParamInfo(name=p.name, kind=p.kind, help=p.help, default=p.default)
                    for p in spec.params
                ],
            )
            for spec in QUERIES.values()
        ]
    )


@router.get(
    "/analytics/{name}",
    response_model=Rows,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
        **with_errors(404),
    },
)
async def run(
    request: Request,
    name: Annotated[str, Path(max_length=64, pattern=r"^[a-z_]+$")],
    principal: Annotated[Principal, needs("analytics:read")],
    accept: Annotated[str | None, Header(max_length=500)] = None,
    since: ParamText = None,
    until: ParamText = None,
    as_of: ParamText = None,
    limit: ParamText = None,
    category_id: ParamText = None,
    min_orders: ParamText = None,
    window_days: ParamText = None,
    bucket_days: ParamText = None,
    source: Annotated[
        Literal["auto", "rollup", "base"],
        Query(description="auto: the rollups where they answer; base: orders and items"),
    ] = "auto",
) -> Response:
    """A query's rows; ``Accept: text/csv`` for CSV. 422 for a parameter it does not take."""
    if name not in QUERIES:
        raise ApiProblem(404, "not-found", "Not found", f"no analytics query {name!r}")
    given = {
        "since": since,
        "until": until,
        "as_of": as_of,
        "limit": limit,
        "category_id": category_id,
        "min_orders": min_orders,
        "window_days": window_days,
        "bucket_days": bucket_days,
    }
    params = {k: v for k, v in given.items() if v is not None}
    get_query(name)
    result = await _bounded(request, name, source, params)
    if not principal.can("customers:email") and "email" in result.columns:
        result = _masked(result)
    if accept is not None and "text/csv" in accept:
        return Response(to_csv(result), media_type="text/csv; charset=utf-8")
    return Response('{"data": ' + to_json(result) + "}\n", media_type="application/json")


async def _bounded(request: Request, name: str, source: str, params: dict[str, str]) -> QueryResult:
    state = request.app.state
    timeout = state.api_config.analytics_timeout_s
    try:
        with anyio.fail_after(state.api_config.analytics_wait_s):
            await state.analytics_slots.acquire()
    except TimeoutError:
        raise ApiProblem(
            503,
            "busy",
            "Analytics busy",
            "every analytics slot is taken; retry shortly",
            {"Retry-After": "1"},
        ) from None
    try:
        return await anyio.to_thread.run_sync(
            lambda: run_bounded(state.analytics_engine, name, timeout, source=source, **params),
            limiter=state.analytics_limiter,
        )
    finally:
        state.analytics_slots.release()


def _masked(result: QueryResult) -> QueryResult:
    at = result.columns.index("email")
    rows = [
        tuple(mask_email(v) if i == at and isinstance(v, str) else v for i, v in enumerate(row))
        for row in result.rows
    ]
    return QueryResult(result.columns, rows)
