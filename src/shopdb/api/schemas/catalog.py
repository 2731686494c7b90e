"""Products, their stock and their stock ledger."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel

from shopdb.api.schemas.common import (
    Body,
    Id,
    OpeningStock,
    PriceCents,
    StockUnits,
    Timestamp,
    text,
)


class ProductCreate(Body):
    """A new product with its opening stock (recorded as a receipt)."""

    category_id: Id
    sku: Annotated[str, text(64)]
    name: Annotated[str, text(200)]
    price_cents: PriceCents
    quantity: OpeningStock = 0
    brand: Annotated[str, text(100)] | None = None


class ProductUpdate(Body):
    """Fields to change (``If-Match`` required); those left out keep their value."""

    category_id: Id | None = None
    sku: Annotated[str, text(64)] | None = None
    name: Annotated[str, text(200)] | None = None
    price_cents: PriceCents | None = None
    brand: Annotated[str, text(100)] | None = None


class ProductPublic(BaseModel):
    """A product (its stock is at ``/v1/products/{id}/inventory``)."""

    product_id: int
    category_id: int
    sku: str
    name: str
    price_cents: int
    brand: str | None
    created_at: Timestamp


class ProductListed(ProductPublic):
    """A product in a list, with its stock."""

    quantity_on_hand: int
    reorder_level: int


class RestockRequest(Body):
    """Units received."""

    quantity: StockUnits


class InventoryPublic(BaseModel):
    """A product's stock."""

    product_id: int
    quantity_on_hand: int
    reorder_level: int
    updated_at: Timestamp


class MovementPublic(BaseModel):
    """One row of the stock ledger."""

    movement_id: int
    product_id: int
    quantity_delta: int
    reason: str
    order_id: int | None
    created_at: Timestamp
