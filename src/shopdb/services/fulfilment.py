"""Fulfilment: ship a paid order, mark a shipped one delivered."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine

from shopdb.db.lake_log import touch
from shopdb.db.schema import shipments
from shopdb.db.types import max_length, utcnow
from shopdb.errors import InvalidInput
from shopdb.limits import check_id, check_text
from shopdb.services._status import change_status, lock_order, move_order, require_transition
from shopdb.services._tx import inserted_id, run_in_transaction

DEFAULT_CARRIER = "postal"
MAX_CARRIER = max_length(shipments.c.carrier)
MAX_TRACKING = max_length(shipments.c.tracking_number)


def ship_order(
    engine: Engine,
    order_id: int,
    *,
    carrier: str = DEFAULT_CARRIER,
    tracking_number: str | None = None,
    now: datetime | None = None,
) -> int:
    """Ship a paid order: create its ``shipments`` row and make it ``shipped``.

    Without a tracking number a random unique one is made up.

    Raises:
        InvalidInput: an empty carrier or tracking number.
        NotFound: no such order. InvalidTransition: the order is not paid.
        Duplicate: the tracking number belongs to another shipment.
        On error nothing is written.
    """
    check_id("order", order_id)
    carrier = carrier.strip()
    tracking = (tracking_number or f"SD{uuid.uuid4().hex[:18].upper()}").strip()
    if not carrier or len(carrier) > MAX_CARRIER or not tracking or len(tracking) > MAX_TRACKING:
        raise InvalidInput(
            f"carrier (1-{MAX_CARRIER} characters) and tracking number (1-{MAX_TRACKING}) "
            "are required"
        )
    check_text("a carrier", carrier, MAX_CARRIER)
    check_text("a tracking number", tracking, MAX_TRACKING)

    def body(conn: Connection) -> int:
        order, at = move_order(conn, order_id, "shipped", now)
        touch(conn, order.created_at, shipments)
        result = conn.execute(
            insert(shipments).values(
                order_id=order_id, carrier=carrier, tracking_number=tracking, shipped_at=at
            )
        )
        return inserted_id(result)

    taken = {
        "uq_shipments_tracking_number": f"tracking number {tracking!r} belongs to another shipment"
    }
    return run_in_transaction(engine, body, duplicates=taken)


def deliver_order(engine: Engine, order_id: int, *, now: datetime | None = None) -> None:
    """Mark a shipped order ``delivered`` and set its shipment's ``delivered_at``.

    Raises:
        NotFound: no such order. InvalidTransition: the order is not shipped.
        InvalidInput: ``now`` is before the shipment left. On error nothing is written.
    """

    check_id("order", order_id)

    def body(conn: Connection) -> None:
        order = lock_order(conn, order_id)
        # the clock is read under the lock, so this change is dated after the last one
        at = now or utcnow()
        require_transition(order, "delivered")
        shipped_at = conn.execute(
            select(shipments.c.shipped_at).where(shipments.c.order_id == order_id)
        ).scalar_one()
        if at < shipped_at:
            raise InvalidInput(
                f"order {order_id} shipped at {shipped_at}: delivery cannot precede it"
            )
        change_status(conn, order, "delivered", at)
        touch(conn, order.created_at, shipments)
        conn.execute(
            update(shipments).where(shipments.c.order_id == order_id).values(delivered_at=at)
        )

    run_in_transaction(engine, body)
