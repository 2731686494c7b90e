"""``/v1/products``: the catalogue's products, their stock, ledger and restocking.

``GET /v1/products/{id}`` carries an ``ETag``; ``PATCH`` needs ``If-Match`` with it (428
without, 412 once the product has changed), so two clients cannot overwrite each other.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request, Response
from pydantic import TypeAdapter
from sqlalchemy.engine import Connection

from shopdb.api.deps import EngineDep, Principal, needs
from shopdb.api.idempotent import IdempotencyKeyHeader, run_idempotent
from shopdb.api.pagination import PageDep, after_key, next_page
from shopdb.api.problems import ApiProblem
from shopdb.api.responses import ERRORS, PAGE_ERRORS, json_of, page_json, with_errors
from shopdb.api.schemas.catalog import (
    InventoryPublic,
    MovementPublic,
    ProductCreate,
    ProductListed,
    ProductPublic,
    ProductUpdate,
    RestockRequest,
)
from shopdb.api.schemas.common import Deleted, ListPage
from shopdb.api.threads import ThreadedRoute
from shopdb.limits import MAX_ID, MAX_PRICE_CENTS
from shopdb.services import create_product, restock
from shopdb.services.browse import list_movements, list_products
from shopdb.services.records import (
    delete_product,
    get_inventory,
    get_product,
    product_version,
    read_inventory,
    update_product,
)

router = APIRouter(tags=["catalogue"], route_class=ThreadedRoute)
_PRODUCT_PAGE: TypeAdapter[ListPage[ProductListed]] = TypeAdapter(ListPage[ProductListed])
ProductId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _etag(row: dict[str, Any]) -> str:
    return f'"{product_version(row)}"'


def _with_etag(response: Response, row: dict[str, Any]) -> ProductPublic:
    response.headers["ETag"] = _etag(row)
    return ProductPublic(**row)


@router.get("/products", response_model=ListPage[ProductListed], responses=PAGE_ERRORS)
def list_all(
    request: Request,
    response: Response,
    engine: EngineDep,
    page: PageDep,
    _: Annotated[Principal, needs("catalog:read")],
    category_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    min_price_cents: Annotated[int | None, Query(ge=0, le=MAX_PRICE_CENTS)] = None,
    max_price_cents: Annotated[int | None, Query(ge=0, le=MAX_PRICE_CENTS)] = None,
    q: Annotated[
        str | None,
        Query(max_length=100, pattern=r"^[^\x00]*$", description="part of the name, SKU or brand"),
    ] = None,
    low_stock: Annotated[bool | None, Query(description="at or below the reorder level")] = None,
) -> Response:
    """Products by id, with their stock."""
    found = list_products(
        engine,
        after=after_key(request, "products", page),
        limit=page.limit,
        category_id=category_id,
        min_price_cents=min_price_cents,
        max_price_cents=max_price_cents,
        q=q,
        low_stock=low_stock,
    )
    cursor = next_page(request, response, "products", found.last_key, found.has_more)
    return page_json(_PRODUCT_PAGE, found.rows, found.has_more, cursor, response)


@router.post("/products", status_code=201, responses=with_errors(404, 409))
def create(
    body: ProductCreate,
    response: Response,
    engine: EngineDep,
    _: Annotated[Principal, needs("catalog:write")],
) -> ProductPublic:
    """Create a product with its opening stock; 409 when the SKU is taken."""
    product_id = create_product(
        engine,
        category_id=body.category_id,
        sku=body.sku,
        name=body.name,
        price_cents=body.price_cents,
        quantity=body.quantity,
        brand=body.brand,
    )
    response.headers["Location"] = f"/v1/products/{product_id}"
    return _with_etag(response, get_product(engine, product_id))


@router.get("/products/{product_id}", response_model=ProductPublic, responses=ERRORS)
def read(
    product_id: ProductId,
    response: Response,
    engine: EngineDep,
    _: Annotated[Principal, needs("catalog:read")],
) -> Response:
    """One product, with its ``ETag``."""
    return json_of(_with_etag(response, get_product(engine, product_id)), response)


def _expected_version(if_match: str | None, engine: Any, product_id: int) -> str:
    if if_match is None:
        raise ApiProblem(
            428,
            "precondition-required",
            "Precondition required",
            "send If-Match with the product's ETag (GET it first)",
            header="If-Match",
        )
    tag = if_match.strip()
    if tag == "*":
        return product_version(get_product(engine, product_id))
    if tag.startswith("W/"):
        tag = tag[2:]
    return tag.strip('"')


@router.patch("/products/{product_id}", responses=with_errors(404, 409, 412, 428))
def change(
    product_id: ProductId,
    body: ProductUpdate,
    response: Response,
    engine: EngineDep,
    _: Annotated[Principal, needs("catalog:write")],
    if_match: Annotated[str | None, Header(alias="If-Match", max_length=200)] = None,
) -> ProductPublic:
    """Change a product if it is still the version ``If-Match`` names."""
    expected = _expected_version(if_match, engine, product_id)
    row = update_product(engine, product_id, expected, body.model_dump(exclude_unset=True))
    return _with_etag(response, row)


@router.delete("/products/{product_id}", responses=with_errors(404, 409))
def remove(
    product_id: ProductId, engine: EngineDep, _: Annotated[Principal, needs("shop:delete")]
) -> Deleted:
    """Delete a product never ordered; 409 naming ``fk_order_items_product_id`` otherwise."""
    delete_product(engine, product_id)
    return Deleted()


@router.get("/products/{product_id}/inventory", responses=ERRORS)
def inventory(
    product_id: ProductId, engine: EngineDep, _: Annotated[Principal, needs("catalog:read")]
) -> InventoryPublic:
    """A product's stock."""
    return InventoryPublic(**get_inventory(engine, product_id))


@router.get("/products/{product_id}/movements", responses=with_errors(400, 404))
def movements(
    request: Request,
    response: Response,
    product_id: ProductId,
    engine: EngineDep,
    page: PageDep,
    _: Annotated[Principal, needs("catalog:read")],
) -> ListPage[MovementPublic]:
    """A product's stock ledger, oldest first."""
    get_product(engine, product_id)  # 404 for an unknown product, not an empty ledger
    listing = f"movements:{product_id}"
    found = list_movements(
        engine, product_id, after=after_key(request, listing, page), limit=page.limit
    )
    cursor = next_page(request, response, listing, found.last_key, found.has_more)
    data = [MovementPublic(**r) for r in found.rows]
    return ListPage[MovementPublic](data=data, has_more=found.has_more, next_cursor=cursor)


@router.post(
    "/products/{product_id}/restock",
    response_model=InventoryPublic,
    responses=with_errors(404),
)
def restock_product(
    request: Request,
    product_id: ProductId,
    body: RestockRequest,
    engine: EngineDep,
    principal: Annotated[Principal, needs("catalog:write")],
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Add units to a product's stock, recorded as a receipt."""

    def render(conn: Connection, _on_hand: Any) -> tuple[int, str, str | None]:
        row = read_inventory(conn, product_id)
        return 200, InventoryPublic(**row).model_dump_json(), None

    return run_idempotent(
        request,
        engine,
        principal,
        idempotency_key,
        body,
        lambda: restock(engine, product_id, body.quantity),
        render,
    )
