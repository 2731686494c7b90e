"""``/v1/orders``: place, read, list, and move orders through their lifecycle by actions.

Orders change only through actions (pay, cancel, ship, deliver, refund), never by PATCH
or DELETE. Each action is one service call, so one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request, Response
from sqlalchemy.engine import Connection, Engine

from shopdb.api.deps import EngineDep, Principal, needs
from shopdb.api.idempotent import IdempotencyKeyHeader, run_idempotent, write_and_render
from shopdb.api.pagination import PageDep, after_key, next_page
from shopdb.api.responses import ERRORS, JSON, PAGE_ERRORS, json_of, with_errors
from shopdb.api.schemas.common import ListPage
from shopdb.api.schemas.orders import (
    EXPANSIONS,
    OrderCreate,
    OrderPublic,
    OrderStatus,
    PaymentCreate,
    PaymentPublic,
    ShipRequest,
)
from shopdb.api.threads import ThreadedRoute
from shopdb.errors import InvalidInput
from shopdb.limits import MAX_ID, MAX_TOTAL_CENTS
from shopdb.services import (
    cancel_order,
    deliver_order,
    get_order,
    pay_order,
    place_order,
    refund_order,
    ship_order,
)
from shopdb.services.browse import list_orders
from shopdb.services.order_view import read_order
from shopdb.services.payments import Payment

router = APIRouter(tags=["orders"], route_class=ThreadedRoute)
OrderId = Annotated[int, Path(ge=1, le=MAX_ID)]
ExpandQuery = Annotated[
    str | None,
    Query(
        max_length=100,
        description="comma-separated: items, payments, history, shipment",
        pattern=r"^[a-z,]*$",
    ),
]
_SINGLE = frozenset({"items"})


def _expand(raw: str | None, default: frozenset[str]) -> frozenset[str]:
    if raw is None:
        return default
    parts = frozenset(p.strip() for p in raw.split(",") if p.strip())
    unknown = parts - set(EXPANSIONS)
    if unknown:
        raise InvalidInput(f"cannot expand {sorted(unknown)[0]!r}: use {', '.join(EXPANSIONS)}")
    return parts


_NEW_ORDER_PARTS = frozenset({"items", "history"})
"""What an order just placed has: no payment and no shipment to read yet."""


def _render_order(
    status: int, known_id: int | None = None, parts: frozenset[str] | None = None
) -> Any:
    """Render the whole order: ``known_id``, or the id the write returned; reading only
    ``parts`` (default: all) where the others are known to be empty."""

    def render(conn: Connection, result: Any) -> tuple[int, str, str | None]:
        order_id = known_id if known_id is not None else int(result)
        view = read_order(conn, order_id, parts)
        order = OrderPublic.from_view(view, frozenset(EXPANSIONS))
        return status, order.model_dump_json(), f"/v1/orders/{order_id}"

    return render


@router.get("/orders", response_model=ListPage[OrderPublic], responses=PAGE_ERRORS)
def list_all(
    request: Request,
    response: Response,
    engine: EngineDep,
    page: PageDep,
    _: Annotated[Principal, needs("orders:read")],
    status: OrderStatus | None = None,
    user_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    created_from: Annotated[datetime | None, Query(description="inclusive, RFC 3339")] = None,
    created_to: Annotated[datetime | None, Query(description="exclusive, RFC 3339")] = None,
    min_total_cents: Annotated[int | None, Query(ge=0, le=MAX_TOTAL_CENTS)] = None,
    max_total_cents: Annotated[int | None, Query(ge=0, le=MAX_TOTAL_CENTS)] = None,
    expand: ExpandQuery = None,
) -> Response:
    """Orders by id, filtered; ``expand`` adds each order's parts (one query per part)."""
    parts = _expand(expand, frozenset())
    found = list_orders(
        engine,
        after=after_key(request, "orders", page),
        limit=page.limit,
        status=status,
        user_id=user_id,
        created_from=_utc(created_from),
        created_to=_utc(created_to),
        min_total_cents=min_total_cents,
        max_total_cents=max_total_cents,
        expand=parts,
    )
    if parts:
        data = [OrderPublic.from_view(view, parts) for view in found.views]
    else:
        data = [OrderPublic(**r) for r in found.rows]
    cursor = next_page(request, response, "orders", found.last_key, found.has_more)
    page_ = ListPage[OrderPublic](data=data, has_more=found.has_more, next_cursor=cursor)
    return json_of(page_, response)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@router.post(
    "/orders",
    status_code=201,
    response_model=OrderPublic,
    responses=with_errors(404, 409, 422),
)
def place(
    request: Request,
    body: OrderCreate,
    engine: EngineDep,
    principal: Annotated[Principal, needs("orders:write")],
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Place an order at today's prices, taking its stock; 409 when a product runs short."""
    quantities: dict[int, int] = {}
    for line in body.items:
        quantities[line.product_id] = quantities.get(line.product_id, 0) + line.quantity
    return run_idempotent(
        request,
        engine,
        principal,
        idempotency_key,
        body,
        lambda: place_order(engine, body.user_id, quantities),
        _render_order(201, parts=_NEW_ORDER_PARTS),
    )


@router.get("/orders/{order_id}", response_model=OrderPublic, responses=ERRORS)
def read(
    order_id: OrderId,
    engine: EngineDep,
    _: Annotated[Principal, needs("orders:read")],
    expand: ExpandQuery = None,
) -> Response:
    """One order with its items (and, with ``expand``, payments, history, shipment)."""
    parts = _expand(expand, _SINGLE) | _SINGLE
    # only the parts the response shows are read: one query each
    return json_of(OrderPublic.from_view(get_order(engine, order_id, parts), parts))


@router.post(
    "/orders/{order_id}/payments",
    status_code=201,
    response_model=PaymentPublic,
    responses=with_errors(404, 409, 422),
)
def pay(
    request: Request,
    order_id: OrderId,
    engine: EngineDep,
    principal: Annotated[Principal, needs("orders:write")],
    body: Annotated[PaymentCreate | None, Body()] = None,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Pay a pending order (default amount: its total); it becomes paid."""
    payment = body or PaymentCreate()

    def write() -> Payment:
        return pay_order(engine, order_id, payment.amount_cents, payment.method, idempotency_key)

    def render(_conn: Connection, paid: Any) -> tuple[int, str, str | None]:
        public = PaymentPublic(**vars(paid))
        return 201, public.model_dump_json(), f"/v1/orders/{order_id}"

    return run_idempotent(request, engine, principal, idempotency_key, body, write, render)


def _action(order_id: int, run: Callable[[], Any], engine: Engine) -> Response:
    # the whole order is read in the action's own transaction, before its COMMIT
    _status, body, _location = write_and_render(engine, run, _render_order(200, order_id))
    return Response(body, media_type=JSON)


@router.post(
    "/orders/{order_id}/cancel", response_model=OrderPublic, responses=with_errors(404, 409)
)
def cancel(
    order_id: OrderId, engine: EngineDep, _: Annotated[Principal, needs("orders:write")]
) -> Response:
    """Cancel a pending or paid order: its stock returns, a captured payment is refunded."""
    return _action(order_id, lambda: cancel_order(engine, order_id), engine)


@router.post(
    "/orders/{order_id}/ship", response_model=OrderPublic, responses=with_errors(404, 409, 422)
)
def ship(
    order_id: OrderId,
    engine: EngineDep,
    _: Annotated[Principal, needs("orders:write")],
    body: Annotated[ShipRequest | None, Body()] = None,
) -> Response:
    """Ship a paid order (creates its shipment)."""
    how = body or ShipRequest()
    return _action(
        order_id,
        lambda: ship_order(
            engine, order_id, carrier=how.carrier, tracking_number=how.tracking_number
        ),
        engine,
    )


@router.post(
    "/orders/{order_id}/deliver",
    response_model=OrderPublic,
    responses=with_errors(404, 409, 422),
)
def deliver(
    order_id: OrderId, engine: EngineDep, _: Annotated[Principal, needs("orders:write")]
) -> Response:
    """Mark a shipped order delivered."""
    return _action(order_id, lambda: deliver_order(engine, order_id), engine)


@router.post(
    "/orders/{order_id}/refund", response_model=OrderPublic, responses=with_errors(404, 409, 422)
)
def refund(
    request: Request,
    order_id: OrderId,
    engine: EngineDep,
    principal: Annotated[Principal, needs("orders:write")],
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Refund a paid, shipped or delivered order (its payments become refunded)."""
    return run_idempotent(
        request,
        engine,
        principal,
        idempotency_key,
        None,
        lambda: (refund_order(engine, order_id), order_id)[1],
        _render_order(200),
    )
