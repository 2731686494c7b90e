"""Users (customers) and categories."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel

from shopdb.access import mask_email
from shopdb.api.schemas.common import Body, Id, Timestamp, text


class UserCreate(Body):
    """A new customer; the email is normalised (trimmed, lower-cased) and must be unique."""

    email: Annotated[str, text(254)]
    first_name: Annotated[str, text(100)]
    last_name: Annotated[str, text(100)]
    country_code: Annotated[str, text(2, 2)] | None = None
    city: Annotated[str, text(100)] | None = None


class UserUpdate(Body):
    """Fields to change; those left out keep their value."""

    email: Annotated[str, text(254)] | None = None
    first_name: Annotated[str, text(100)] | None = None
    last_name: Annotated[str, text(100)] | None = None
    country_code: Annotated[str, text(2, 2)] | None = None
    city: Annotated[str, text(100, 0)] | None = None


class UserPublic(BaseModel):
    """A customer; for a key without ``customers:email`` the email is masked."""

    user_id: int
    email: str
    first_name: str
    last_name: str
    country_code: str | None
    city: str | None
    created_at: Timestamp

    @classmethod
    def from_row(cls, row: dict[str, Any], *, show_email: bool) -> UserPublic:
        """From a ``users`` row, masking the email unless ``show_email``."""
        values = dict(row)
        if not show_email:
            values["email"] = mask_email(str(values["email"]))
        return cls(**values)


class CategoryCreate(Body):
    """A new category, at the top level or under ``parent_id``."""

    name: Annotated[str, text(100)]
    parent_id: Id | None = None


class CategoryUpdate(Body):
    """A category's new name."""

    name: Annotated[str, text(100)]


class CategoryPublic(BaseModel):
    """A category."""

    category_id: int
    name: str
    parent_id: int | None
