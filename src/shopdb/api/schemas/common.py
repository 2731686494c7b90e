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

MAX_ID = 2**63 - 1
MAX_CENTS = 10**11  # a billion in the currency's unit: far above any price, far below 2**63
MAX_QUANTITY = 100_000
MAX_ITEMS = 100  # MAX_ITEMS * MAX_QUANTITY * MAX_CENTS stays below 2**63

StrictInt = Annotated[int, Strict()]
"""An integer in a request body: a JSON integer, never a float, a string or a boolean."""

Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
Cents = Annotated[StrictInt, Field(ge=0, le=MAX_CENTS)]
PositiveCents = Annotated[StrictInt, Field(ge=1, le=MAX_CENTS)]
Quantity = Annotated[StrictInt, Field(ge=1, le=MAX_QUANTITY)]
OpeningStock = Annotated[StrictInt, Field(ge=0, le=MAX_QUANTITY)]
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
