"""``/v1/categories``: the category tree."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from shopdb.api.deps import EngineDep, Principal, needs
from shopdb.api.pagination import PageDep, after_key, next_page
from shopdb.api.responses import ERRORS, PAGE_ERRORS, with_errors
from shopdb.api.schemas.common import Deleted, ListPage
from shopdb.api.schemas.people import CategoryCreate, CategoryPublic, CategoryUpdate
from shopdb.api.threads import ThreadedRoute
from shopdb.limits import MAX_ID
from shopdb.services import create_category
from shopdb.services.browse import list_categories
from shopdb.services.records import delete_category, get_category, rename_category

router = APIRouter(tags=["catalogue"], route_class=ThreadedRoute)
CategoryId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/categories", responses=PAGE_ERRORS)
def list_all(
    request: Request,
    response: Response,
    engine: EngineDep,
    page: PageDep,
    _: Annotated[Principal, needs("catalog:read")],
    parent_id: Annotated[
        int | None, Query(ge=0, le=MAX_ID, description="0: top-level categories")
    ] = None,
) -> ListPage[CategoryPublic]:
    """Categories by id."""
    found = list_categories(
        engine, after=after_key(request, "categories", page), limit=page.limit, parent_id=parent_id
    )
    cursor = next_page(request, response, "categories", found.last_key, found.has_more)
    data = [CategoryPublic(**r) for r in found.rows]
    return ListPage[CategoryPublic](data=data, has_more=found.has_more, next_cursor=cursor)


@router.post("/categories", status_code=201, responses=with_errors(404, 409))
def create(
    body: CategoryCreate,
    response: Response,
    engine: EngineDep,
    _: Annotated[Principal, needs("catalog:write")],
) -> CategoryPublic:
    """Create a category; 409 when its parent already has a child of that name."""
    category_id = create_category(engine, body.name, parent_id=body.parent_id)
    response.headers["Location"] = f"/v1/categories/{category_id}"
    return CategoryPublic(**get_category(engine, category_id))


@router.get("/categories/{category_id}", responses=ERRORS)
def read(
    category_id: CategoryId, engine: EngineDep, _: Annotated[Principal, needs("catalog:read")]
) -> CategoryPublic:
    """One category."""
    return CategoryPublic(**get_category(engine, category_id))


@router.patch("/categories/{category_id}", responses=with_errors(404, 409))
def rename(
    category_id: CategoryId,
    body: CategoryUpdate,
    engine: EngineDep,
    _: Annotated[Principal, needs("catalog:write")],
) -> CategoryPublic:
    """Rename a category."""
    return CategoryPublic(**rename_category(engine, category_id, body.name))


@router.delete("/categories/{category_id}", responses=with_errors(404, 409))
def remove(
    category_id: CategoryId, engine: EngineDep, _: Annotated[Principal, needs("shop:delete")]
) -> Deleted:
    """Delete a category with no products or children; 409 naming the foreign key otherwise."""
    delete_category(engine, category_id)
    return Deleted()
