"""Products and inventory: stock, price, sparkline, low stock first, restock, ledger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.engine import Engine

from shopdb.errors import InvalidInput, ShopError
from shopdb.services import restock
from shopdb.services.inventory_view import get_stock, ledger, list_stock, weekly_units
from shopdb.web.actions import new_action_key, run_once
from shopdb.web.pages_overview import shop_today
from shopdb.web.render import Timings, render
from shopdb.web.routing import PageRoute, status_for
from shopdb.web.security import check_csrf, current_staff

router = APIRouter(route_class=PageRoute)


def sparkline(values: list[int], width: int = 96, height: int = 24) -> str:
    """SVG polyline points for ``values`` scaled into ``width`` x ``height``."""
    if not values:
        return ""
    top = max(values) or 1
    step = width / max(1, len(values) - 1)
    return " ".join(
        f"{i * step:.1f},{height - 2 - (v / top) * (height - 4):.1f}" for i, v in enumerate(values)
    )


def _category(raw: str | None) -> int | None:
    if not raw:
        return None
    if not raw.isdigit():
        raise InvalidInput(f"bad category id {raw!r}")
    return int(raw)


@router.get("/inventory")
def inventory_page(request: Request) -> Response:
    """Products with stock, lowest above their reorder level first, with sparklines."""
    staff = current_staff(request, "catalog:read")
    engine: Engine = request.app.state.engine
    params = dict(request.query_params)
    timings = Timings()
    with timings.measure("stock"):
        page = list_stock(
            engine,
            search=params.get("q"),
            category_id=_category(params.get("category_id")),
            low_only=params.get("low") == "1",
            cursor=params.get("after"),
        )
    with timings.measure("sparklines"):
        end = datetime.combine(shop_today(engine) + timedelta(days=1), datetime.min.time(), UTC)
        weekly = weekly_units(engine, [r.product_id for r in page.rows], end)
    from urllib.parse import urlencode

    base = urlencode({k: v for k, v in params.items() if v and k != "after"})
    context = {
        "title": "Inventory",
        "page": page,
        "params": params,
        "weekly": weekly,
        "spark": {pid: sparkline(v) for pid, v in weekly.items()},
        "base_query": base,
    }
    return render(
        request, "inventory.html", context, staff=staff, timings=timings, fragment="results"
    )


def _product_context(engine: Engine, product_id: int) -> dict[str, object]:
    product = get_stock(engine, product_id)
    end = datetime.combine(shop_today(engine) + timedelta(days=1), datetime.min.time(), UTC)
    weeks = weekly_units(engine, [product_id], end, weeks=26)[product_id]
    return {
        "title": product.name,
        "product": product,
        "ledger": ledger(engine, product_id),
        "weeks": weeks,
        "spark": sparkline(weeks, 300, 60),
        "action_key": new_action_key(),
    }


@router.get("/inventory/{product_id}")
def product_page(request: Request, product_id: int, done: str | None = None) -> Response:
    """One product: stock, price, 26 weeks of sales, restock form, movement ledger."""
    staff = current_staff(request, "catalog:read")
    timings = Timings()
    with timings.measure("product"):
        context = _product_context(request.app.state.engine, product_id)
    notice = {
        "restock": "Restocked.",
        "repeat": "That form was already sent: nothing was changed a second time.",
    }.get(done or "")
    return render(
        request,
        "product.html",
        {**context, "notice": notice, "error": None},
        staff=staff,
        timings=timings,
    )


@router.post("/inventory/{product_id}/restock")
def restock_action(
    request: Request,
    product_id: int,
    quantity: Annotated[int, Form()],
    csrf_token: Annotated[str, Form()] = "",
    action_key: Annotated[str, Form()] = "",
) -> Response:
    """Add units to a product's stock (a ``receipt`` movement), once per form."""
    staff = current_staff(request, "catalog:write")
    check_csrf(request, csrf_token)
    engine: Engine = request.app.state.engine
    try:
        ran, _ = run_once(
            engine,
            staff,
            action_key,
            f"restock:{product_id}",
            lambda: restock(engine, product_id, quantity),
        )
    except ShopError as exc:
        context = _product_context(engine, product_id)
        return render(
            request,
            "product.html",
            {**context, "notice": None, "error": str(exc)},
            staff=staff,
            status_code=status_for(exc),
        )
    return RedirectResponse(
        f"/inventory/{product_id}?done={'restock' if ran else 'repeat'}", status_code=303
    )
