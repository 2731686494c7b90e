"""Orders, their items, payments, status history and shipment."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from shopdb.api.schemas.common import Body, Id, PositiveCents, Quantity, Timestamp, text
from shopdb.lifecycle import ORDER_STATUSES, PAYMENT_METHODS
from shopdb.limits import MAX_ORDER_LINES
from shopdb.services.order_view import PARTS, OrderView

PaymentMethod = Literal["card", "paypal", "bank_transfer", "gift_card"]
OrderStatus = Literal["pending", "paid", "shipped", "delivered", "cancelled", "refunded"]
assert PaymentMethod.__args__ == PAYMENT_METHODS  # type: ignore[attr-defined]
assert OrderStatus.__args__ == ORDER_STATUSES  # type: ignore[attr-defined]

EXPANSIONS = PARTS


class OrderLine(Body):
    """A product and how many units of it."""

    product_id: Id
    quantity: Quantity


class OrderCreate(Body):
    """A new order at today's prices; its stock is taken at once."""

    user_id: Id
    items: Annotated[list[OrderLine], Field(min_length=1, max_length=MAX_ORDER_LINES)]


class PaymentCreate(Body):
    """A payment of a pending order; the amount, if given, must equal the order's total."""

    amount_cents: PositiveCents | None = None
    method: PaymentMethod = "card"


class ShipRequest(Body):
    """How a paid order leaves; a tracking number is made up when none is given."""

    carrier: Annotated[str, text(32)] = "postal"
    tracking_number: Annotated[str, text(64)] | None = None


class OrderItem(BaseModel):
    """An order line with the price it was sold at."""

    product_id: int
    sku: str
    name: str
    quantity: int
    unit_price_cents: int


class PaymentPublic(BaseModel):
    """A payment."""

    payment_id: int
    order_id: int
    amount_cents: int
    method: str
    status: str
    idempotency_key: str | None
    created_at: Timestamp
    refunded_at: Timestamp | None = None


class StatusChange(BaseModel):
    """One row of an order's status history."""

    from_status: str | None
    to_status: str
    changed_at: Timestamp


class ShipmentPublic(BaseModel):
    """A shipment."""

    shipment_id: int | None = None
    order_id: int
    carrier: str
    tracking_number: str
    shipped_at: Timestamp
    delivered_at: Timestamp | None


class OrderPublic(BaseModel):
    """An order; ``items`` always on a single order, the rest with ``?expand=``."""

    order_id: int
    user_id: int
    status: str
    total_cents: int
    created_at: Timestamp
    updated_at: Timestamp | None
    items: list[OrderItem] | None = None
    payments: list[PaymentPublic] | None = None
    history: list[StatusChange] | None = None
    shipment: ShipmentPublic | None = None

    @classmethod
    def from_view(cls, view: OrderView, expand: frozenset[str]) -> OrderPublic:
        """From the service's order view, with the parts named in ``expand``."""
        order = cls(
            order_id=view.order_id,
            user_id=view.user_id,
            status=view.status,
            total_cents=view.total_cents,
            created_at=view.created_at,
            updated_at=view.updated_at,
        )
        if "items" in expand:
            order.items = [OrderItem(**vars(item)) for item in view.items]
        if "payments" in expand:
            order.payments = [
                PaymentPublic(order_id=view.order_id, **vars(p)) for p in view.payments
            ]
        if "history" in expand:
            order.history = [StatusChange(**vars(h)) for h in view.history]
        if "shipment" in expand and view.shipment is not None:
            order.shipment = ShipmentPublic(order_id=view.order_id, **vars(view.shipment))
        return order
