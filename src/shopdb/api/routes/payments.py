"""``/v1/payments`` and ``/v1/shipments``: read-only lists (they change through order actions)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from shopdb.api.deps import EngineDep, Principal, needs
from shopdb.api.pagination import PageDep, after_key, next_page
from shopdb.api.responses import PAGE_ERRORS
from shopdb.api.schemas.common import ListPage
from shopdb.api.schemas.orders import PaymentPublic, ShipmentPublic
from shopdb.api.threads import ThreadedRoute
from shopdb.limits import MAX_ID
from shopdb.services.browse import list_payments, list_shipments

router = APIRouter(tags=["orders"], route_class=ThreadedRoute)
OrderFilter = Annotated[int | None, Query(ge=1, le=MAX_ID)]


@router.get("/payments", responses=PAGE_ERRORS)
def payments(
    request: Request,
    response: Response,
    engine: EngineDep,
    page: PageDep,
    _: Annotated[Principal, needs("orders:read")],
    order_id: OrderFilter = None,
    status: Literal["completed", "failed", "refunded"] | None = None,
) -> ListPage[PaymentPublic]:
    """Payments by id."""
    found = list_payments(
        engine,
        after=after_key(request, "payments", page),
        limit=page.limit,
        order_id=order_id,
        status=status,
    )
    cursor = next_page(request, response, "payments", found.last_key, found.has_more)
    data = [PaymentPublic(**r) for r in found.rows]
    return ListPage[PaymentPublic](data=data, has_more=found.has_more, next_cursor=cursor)


@router.get("/shipments", responses=PAGE_ERRORS)
def shipments(
    request: Request,
    response: Response,
    engine: EngineDep,
    page: PageDep,
    _: Annotated[Principal, needs("orders:read")],
    order_id: OrderFilter = None,
    delivered: bool | None = None,
) -> ListPage[ShipmentPublic]:
    """Shipments by id."""
    found = list_shipments(
        engine,
        after=after_key(request, "shipments", page),
        limit=page.limit,
        order_id=order_id,
        delivered=delivered,
    )
    cursor = next_page(request, response, "shipments", found.last_key, found.has_more)
    data = [ShipmentPublic(**r) for r in found.rows]
    return ListPage[ShipmentPublic](data=data, has_more=found.has_more, next_cursor=cursor)
