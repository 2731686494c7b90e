"""Customers: the best by lifetime value, a search by email or id, and one customer's
orders, lifetime value and RFM segment (``queries.segments``, all history)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.engine import Engine

from shopdb.queries import run_query
from shopdb.queries.segments import customer_segments
from shopdb.services.customer_view import find_customer, get_customer
from shopdb.services.order_search import OrderFilter, search_orders
from shopdb.web.render import Timings, render
from shopdb.web.routing import PageRoute
from shopdb.web.security import current_staff

router = APIRouter(route_class=PageRoute)


@router.get("/customers")
def customers_page(request: Request, q: str | None = None, segments: str | None = None) -> Response:
    """Best customers by lifetime value, and a search by email or id. Their segments
    (a scan of every customer's totals) come with ``segments=1``, which htmx asks for
    as soon as the page is shown."""
    staff = current_staff(request, "customers:read")
    engine: Engine = request.app.state.engine
    term = (q or "").strip()
    if term:
        found = int(term) if term.isdigit() else find_customer(engine, term)
        if found is not None:
            return RedirectResponse(f"/customers/{found}", status_code=303)
    timings = Timings()
    with timings.measure("top_customers"):
        top = run_query(engine, "top_customers", limit=50).as_dicts()
    shown = None
    if _with_segments(request, segments, "results"):
        with timings.measure("segments"):
            shown = customer_segments(engine, [row["user_id"] for row in top])
    context = {
        "title": "Customers",
        "top": top,
        "segments": shown,
        "q": term,
        "missing": bool(term),
    }
    return render(
        request, "customers.html", context, staff=staff, timings=timings, fragment="results"
    )


@router.get("/customers/{user_id}")
def customer_page(
    request: Request, user_id: int, after: str | None = None, segments: str | None = None
) -> Response:
    """One customer: details, lifetime value, their orders (newest first); their segment
    with ``segments=1``, as on the customers page."""
    staff = current_staff(request, "customers:read")
    engine: Engine = request.app.state.engine
    timings = Timings()
    with timings.measure("customer"):
        customer = get_customer(engine, user_id)
    pending, segment = True, None
    if _with_segments(request, segments, "segment"):
        with timings.measure("segment"):
            pending, segment = False, customer_segments(engine, [user_id]).get(user_id)
    with timings.measure("orders"):
        page = search_orders(engine, OrderFilter(user_id=user_id), cursor=after)
    context = {
        "title": customer.email,
        "customer": customer,
        "segment": segment,
        "pending": pending,
        "page": page,
    }
    return render(
        request, "customer.html", context, staff=staff, timings=timings, fragment="segment"
    )


def _with_segments(request: Request, asked: str | None, fragment: str) -> bool:
    """Whether to compute segments: asked for in the URL, or by htmx for ``fragment``."""
    return asked == "1" or request.headers.get("HX-Target") == fragment
