"""``/v1/events``: a feed of what happened, to follow the shop without polling every resource.

Each page answers with ``next_cursor``, always set: follow it to get the events that
happened since, each exactly once (``services.events`` explains how, including events
whose transaction committed after a later one). ``has_more`` says more are waiting now.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from shopdb.api.deps import EngineDep, Principal, needs
from shopdb.api.pagination import PageDep, cursors
from shopdb.api.problems import ApiProblem
from shopdb.api.responses import PAGE_ERRORS
from shopdb.api.threads import ThreadedRoute
from shopdb.services.events import FeedState, read_events

router = APIRouter(tags=["events"], route_class=ThreadedRoute)
LISTING = "events"


class EventPublic(BaseModel):
    """One event: ``order.status_changed``, ``payment.recorded`` or ``stock.moved``."""

    event_id: str
    type: str
    at: datetime
    order_id: int | None = None
    from_status: str | None = None
    to_status: str | None = None
    payment_id: int | None = None
    amount_cents: int | None = None
    method: str | None = None
    status: str | None = None
    product_id: int | None = None
    quantity_delta: int | None = None
    reason: str | None = None


class EventPage(BaseModel):
    """A page of the feed; ``next_cursor`` is always set."""

    data: list[EventPublic]
    has_more: bool
    next_cursor: str


@router.get("/events", responses=PAGE_ERRORS)
def feed(
    request: Request,
    response: Response,
    engine: EngineDep,
    page: PageDep,
    _: Annotated[Principal, needs("events:read")],
) -> EventPage:
    """The events after ``cursor`` (from the beginning without one), oldest first."""
    signer = cursors(request)
    state = FeedState()
    if page.cursor is not None:
        try:
            state = FeedState.load(signer.load(LISTING, page.cursor))
        except ValueError:
            raise ApiProblem(400, "bad-cursor", "Bad cursor", "malformed feed cursor") from None
    events, after, more = read_events(
        engine,
        state,
        page.limit,
        now=time.time(),
        gap_ttl_s=request.app.state.api_config.event_gap_ttl_s,
    )
    token = signer.dump(LISTING, after.dump())
    response.headers["Link"] = f'<{request.url.include_query_params(cursor=token)}>; rel="next"'
    data = [
        EventPublic(
            event_id=e.event_id,
            type=e.type,
            at=e.at,
            **{k: v for k, v in e.data.items() if k in EventPublic.model_fields},
        )
        for e in events
    ]
    return EventPage(data=data, has_more=more, next_cursor=token)
