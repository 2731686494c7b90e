"""``/v1/users``: customers. Emails are masked for keys without ``customers:email``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from shopdb.api.deps import EngineDep, Principal, needs
from shopdb.api.pagination import PageDep, after_key, next_page
from shopdb.api.responses import ERRORS, PAGE_ERRORS, with_errors
from shopdb.api.schemas.common import Deleted, ListPage
from shopdb.api.schemas.people import UserCreate, UserPublic, UserUpdate
from shopdb.api.threads import ThreadedRoute
from shopdb.limits import MAX_ID
from shopdb.services import register_user, update_user
from shopdb.services.browse import list_users
from shopdb.services.records import delete_user, get_user

router = APIRouter(tags=["users"], route_class=ThreadedRoute)
UserId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _public(row: dict[str, object], principal: Principal) -> UserPublic:
    return UserPublic.from_row(dict(row), show_email=principal.can("customers:email"))


@router.get("/users", responses=PAGE_ERRORS)
def list_all(
    request: Request,
    response: Response,
    engine: EngineDep,
    page: PageDep,
    principal: Annotated[Principal, needs("customers:read")],
    country_code: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
    q: Annotated[
        str | None,
        Query(max_length=100, pattern=r"^[^\x00]*$", description="part of the email or name"),
    ] = None,
) -> ListPage[UserPublic]:
    """Customers by id."""
    found = list_users(
        engine,
        after=after_key(request, "users", page),
        limit=page.limit,
        country_code=country_code,
        q=q,
    )
    cursor = next_page(request, response, "users", found.last_key, found.has_more)
    data = [_public(r, principal) for r in found.rows]
    return ListPage[UserPublic](data=data, has_more=found.has_more, next_cursor=cursor)


@router.post("/users", status_code=201, responses=with_errors(409))
def create(
    body: UserCreate,
    response: Response,
    engine: EngineDep,
    principal: Annotated[Principal, needs("customers:write")],
) -> UserPublic:
    """Register a customer; 409 when the email is taken."""
    user_id = register_user(
        engine,
        body.email,
        body.first_name,
        body.last_name,
        country_code=body.country_code,
        city=body.city,
    )
    response.headers["Location"] = f"/v1/users/{user_id}"
    return _public(get_user(engine, user_id), principal)


@router.get("/users/{user_id}", responses=ERRORS)
def read(
    user_id: UserId, engine: EngineDep, principal: Annotated[Principal, needs("customers:read")]
) -> UserPublic:
    """One customer."""
    return _public(get_user(engine, user_id), principal)


@router.patch("/users/{user_id}", responses=with_errors(404, 409))
def change(
    user_id: UserId,
    body: UserUpdate,
    engine: EngineDep,
    principal: Annotated[Principal, needs("customers:write")],
) -> UserPublic:
    """Change a customer's fields; 409 when the new email is taken."""
    update_user(engine, user_id, **body.model_dump(exclude_unset=True, exclude_none=True))
    return _public(get_user(engine, user_id), principal)


@router.delete("/users/{user_id}", responses=with_errors(404, 409))
def remove(
    user_id: UserId, engine: EngineDep, _: Annotated[Principal, needs("shop:delete")]
) -> Deleted:
    """Delete a customer who never ordered; 409 naming ``fk_orders_user_id`` otherwise."""
    delete_user(engine, user_id)
    return Deleted()
