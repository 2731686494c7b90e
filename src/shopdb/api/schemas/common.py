"""Field types every schema shares: strict 64-bit ids, bounded cents, text without NUL.

Every integer of a request body is a ``StrictInt``: JSON ``1.0``, ``"1"`` and ``true``
are refused (422 pointing at the field) rather than read as 1. Query and path
parameters arrive as text and keep pydantic's parsing of integers (``?limit=1.5`` is
still a 422).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints

from shopdb.limits import MAX_ID, MAX_PRICE_CENTS, MAX_QUANTITY, MAX_STOCK, MAX_TOTAL_CENTS

StrictInt = Annotated[int, Strict()]
"""An integer in a request body: a JSON integer, never a float, a string or a boolean."""

# the bounds are the services' and the schema's own (shopdb.limits), so a value the API
# accepts is never refused further in, and the document states the real limits
Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
PriceCents = Annotated[StrictInt, Field(ge=0, le=MAX_PRICE_CENTS)]
PositiveCents = Annotated[StrictInt, Field(ge=1, le=MAX_TOTAL_CENTS)]
Quantity = Annotated[StrictInt, Field(ge=1, le=MAX_QUANTITY)]
"""Units of one order line."""
StockUnits = Annotated[StrictInt, Field(ge=1, le=MAX_STOCK)]
"""Units one restock adds."""
OpeningStock = Annotated[StrictInt, Field(ge=0, le=MAX_STOCK)]
Timestamp = datetime
"""RFC 3339, UTC."""

_NO_NUL = r"^[^\x00]*$"


def text(max_length: int, min_length: int = 1) -> object:
    """A string of ``min_length`` to ``max_length`` characters, no NUL (no backend stores it)."""
    return StringConstraints(min_length=min_length, max_length=max_length, pattern=_NO_NUL)


class Body(BaseModel):
    """A request body: unknown fields and loosely typed values are refused.

    Its integer fields use the types above (``StrictInt``): strict on their own, not only
    through this model's ``strict`` setting.
    """

    model_config = ConfigDict(extra="forbid", strict=True)


T = TypeVar("T")


class ListPage(BaseModel, Generic[T]):
    """One page of a list."""

    data: list[T]
    has_more: bool
    next_cursor: str | None = Field(description="pass as ?cursor= for the next page")


class Deleted(BaseModel):
    """What a DELETE answers."""

    deleted: bool = True
