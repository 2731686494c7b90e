"""Orders: the searchable list (and its CSV), one order with its history, and the
actions the lifecycle allows on it now."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse, StreamingResponse
from sqlalchemy.engine import Engine

from shopdb.errors import InvalidInput, ShopError
from shopdb.lifecycle import ORDER_STATUSES, PAYMENT_METHODS, TRANSITIONS
from shopdb.services import (
    cancel_order,
    deliver_order,
    get_order,
    pay_order,
    refund_order,
    ship_order,
)
from shopdb.services.order_search import SORTS, OrderFilter, iter_orders, search_orders
from shopdb.web.actions import new_action_key, parse_amount, run_once
from shopdb.web.render import Timings, render
from shopdb.web.routing import PageRoute, status_for
from shopdb.web.security import check_csrf, current_staff, shown_email

router = APIRouter(route_class=PageRoute)

ACTIONS = {
    "paid": "pay",
    "shipped": "ship",
    "delivered": "deliver",
    "cancelled": "cancel",
    "refunded": "refund",
}
"""The action that moves an order to each status."""
_LABELS = {
    "pay": "Record payment",
    "ship": "Ship",
    "deliver": "Mark delivered",
    "cancel": "Cancel order",
    "refund": "Refund",
}


def _day(raw: str | None, name: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"bad date for {name}: {raw!r} (use YYYY-MM-DD)") from None


def read_filter(params: dict[str, str]) -> OrderFilter:
    """The order filter in a query string.

    Raises:
        InvalidInput: a malformed date, amount or customer id.
    """
    first, last = _day(params.get("from"), "from"), _day(params.get("to"), "to")
    customer = (params.get("customer") or "").strip()
    if customer and not customer.isdigit():
        raise InvalidInput(f"bad customer id {customer!r}")
    return OrderFilter(
        status=params.get("status") or None,
        since=None if first is None else datetime(first.year, first.month, first.day, tzinfo=UTC),
        until=None
        if last is None
        else datetime(last.year, last.month, last.day, tzinfo=UTC) + timedelta(days=1),
        user_id=int(customer) if customer else None,
        min_total_cents=parse_amount(params.get("min"), "minimum total"),
        max_total_cents=parse_amount(params.get("max"), "maximum total"),
        search=params.get("q") or None,
    )


def _query_without(params: dict[str, str], *drop: str) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in params.items() if v and k not in drop})


@router.get("/orders")
def orders_page(request: Request) -> Response:
    """The orders table: filters, search, sort, keyset pages."""
    staff = current_staff(request, "orders:read")
    params = dict(request.query_params)
    sort = params.get("sort") or "newest"
    timings = Timings()
    with timings.measure("orders"):
        page = search_orders(
            request.app.state.engine, read_filter(params), sort=sort, cursor=params.get("after")
        )
    context = {
        "title": "Orders",
        "page": page,
        "params": params,
        "sort": sort,
        "sorts": SORTS,
        "statuses": ORDER_STATUSES,
        "base_query": _query_without(params, "after"),
        "sort_query": _query_without(params, "after", "sort"),
    }
    return render(request, "orders.html", context, staff=staff, timings=timings, fragment="results")


@router.get("/orders.csv")
def orders_csv(request: Request) -> Response:
    """Every order the filters match, as CSV (not paginated)."""
    staff = current_staff(request, "orders:read")
    params = dict(request.query_params)
    flt = read_filter(params)
    sort = params.get("sort") or "newest"
    engine: Engine = request.app.state.engine
    search_orders(engine, flt, sort=sort, limit=1)  # bad input fails before streaming

    def lines() -> Iterator[str]:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["order_id", "created_at", "status", "total_cents", "user_id", "email"])
        for row in iter_orders(engine, flt, sort=sort):
            writer.writerow(
                [
                    row.order_id,
                    row.created_at.isoformat(),
                    row.status,
                    row.total_cents,
                    row.user_id,
                    shown_email(staff, row.email),
                ]
            )
            if out.tell() > 65536:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
        yield out.getvalue()

    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="orders.csv"'},
    )


def _order_context(engine: Engine, order_id: int) -> dict[str, Any]:
    order = get_order(engine, order_id)
    allowed = [ACTIONS[t] for t in sorted(TRANSITIONS.get(order.status, ())) if t in ACTIONS]
    return {
        "title": f"Order {order_id}",
        "order": order,
        "actions": allowed,
        "labels": _LABELS,
        "methods": PAYMENT_METHODS,
        "action_key": new_action_key(),
        "statuses": ORDER_STATUSES,
    }


@router.get("/orders/{order_id}")
def order_page(request: Request, order_id: int, done: str | None = None) -> Response:
    """One order: items, payments, shipment, status timeline, allowed actions."""
    staff = current_staff(request, "orders:read")
    timings = Timings()
    with timings.measure("order"):
        context = _order_context(request.app.state.engine, order_id)
    notice = {
        "repeat": "That form was already sent: nothing was changed a second time.",
        **{a: f"Done: {_LABELS[a].lower()}." for a in _LABELS},
    }.get(done or "")
    return render(
        request,
        "order.html",
        {**context, "notice": notice, "error": None},
        staff=staff,
        timings=timings,
    )


@router.post("/orders/{order_id}/{action}")
def order_action(
    request: Request,
    order_id: int,
    action: str,
    csrf_token: Annotated[str, Form()] = "",
    action_key: Annotated[str, Form()] = "",
    amount_cents: Annotated[int | None, Form()] = None,
    method: Annotated[str, Form()] = "card",
    carrier: Annotated[str, Form(max_length=64)] = "postal",
) -> Response:
    """Pay, ship, deliver, cancel or refund an order through its service, once."""
    staff = current_staff(request, "orders:write")
    check_csrf(request, csrf_token)
    engine: Engine = request.app.state.engine
    calls = {
        "pay": lambda: pay_order(
            engine, order_id, amount_cents or 0, method, idempotency_key=action_key
        ),
        "ship": lambda: ship_order(engine, order_id, carrier=carrier),
        "deliver": lambda: deliver_order(engine, order_id),
        "cancel": lambda: cancel_order(engine, order_id),
        "refund": lambda: refund_order(engine, order_id),
    }
    if action not in calls:
        raise InvalidInput(f"unknown action {action!r}: use one of {', '.join(calls)}")
    try:
        ran, _ = run_once(engine, staff, action_key, f"{action}:{order_id}", calls[action])
    except ShopError as exc:
        context = _order_context(engine, order_id)
        return render(
            request,
            "order.html",
            {**context, "notice": None, "error": str(exc)},
            staff=staff,
            status_code=status_for(exc),
        )
    done = action if ran else "repeat"
    return RedirectResponse(f"/orders/{order_id}?done={done}", status_code=303)
