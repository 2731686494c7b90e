"""Every integer of every request body is strict: ``1.0``, ``"1"`` and ``true`` are 422s.

Each integer field of each request model is sent, in an otherwise valid body, as a
float with no fractional part, as a numeric string and as a boolean: each must be a 422
problem pointing at the field, with the stored rows unchanged. A table of cases covers
every integer field the request models declare (a new one without a case fails here).
Query parameters are text by nature and keep their parsing, but ``?limit=1.5`` is a 422.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from api_support import Shop, TestClient, snapshot

import shopdb.api.routes  # noqa: F401  (defines every request model, KeyCreate included)
from shopdb.api.schemas.common import Body
from shopdb.services import place_order

PROBLEM = "application/problem+json"
LOOSE_ONES = (1.0, "1", True)


@dataclass(frozen=True)
class Case:
    """One integer field: the request that carries it and where it sits in the body."""

    model: str
    method: str
    url: Callable[[Shop], str]
    body: Callable[[Shop], dict[str, Any]]
    pointer: tuple[str | int, ...]  # the field's place in ``body``

    @property
    def field(self) -> str:
        return f"{self.model}.{self.pointer[-1]}"


def _order(shop: Shop) -> dict[str, Any]:
    return {"user_id": shop.user, "items": [{"product_id": shop.lamp, "quantity": 1}]}


def _product(shop: Shop) -> dict[str, Any]:
    return {
        "category_id": shop.category,
        "sku": "NEW-1",
        "name": "New",
        "price_cents": 100,
        "quantity": 3,
    }


def _pending_order(shop: Shop) -> str:
    order_id = place_order(shop.engine, shop.user, {shop.lamp: 1})
    return f"/v1/orders/{order_id}/payments"


CASES = [
    Case("OrderCreate", "post", lambda s: "/v1/orders", _order, ("user_id",)),
    Case("OrderLine", "post", lambda s: "/v1/orders", _order, ("items", 0, "product_id")),
    Case("OrderLine", "post", lambda s: "/v1/orders", _order, ("items", 0, "quantity")),
    Case(
        "PaymentCreate", "post", _pending_order, lambda s: {"amount_cents": 1000}, ("amount_cents",)
    ),
    Case("ProductCreate", "post", lambda s: "/v1/products", _product, ("category_id",)),
    Case("ProductCreate", "post", lambda s: "/v1/products", _product, ("price_cents",)),
    Case("ProductCreate", "post", lambda s: "/v1/products", _product, ("quantity",)),
    Case(
        "ProductUpdate",
        "patch",
        lambda s: f"/v1/products/{s.lamp}",
        lambda s: {"category_id": s.category},
        ("category_id",),
    ),
    Case(
        "ProductUpdate",
        "patch",
        lambda s: f"/v1/products/{s.lamp}",
        lambda s: {"price_cents": 900},
        ("price_cents",),
    ),
    Case(
        "RestockRequest",
        "post",
        lambda s: f"/v1/products/{s.lamp}/restock",
        lambda s: {"quantity": 1},
        ("quantity",),
    ),
    Case(
        "CategoryCreate",
        "post",
        lambda s: "/v1/categories",
        lambda s: {"name": "Lights", "parent_id": s.category},
        ("parent_id",),
    ),
]


def _request_models() -> list[type[Body]]:
    found, todo = [], list(Body.__subclasses__())
    while todo:
        model = todo.pop()
        found.append(model)
        todo += model.__subclasses__()
    return found


def _integer_fields(model: type[Body]) -> set[str]:
    fields = set()
    for name, prop in model.model_json_schema()["properties"].items():
        types = [prop, *prop.get("anyOf", [])]
        if any(t.get("type") == "integer" for t in types):
            fields.add(f"{model.__name__}.{name}")
    return fields


def test_the_cases_cover_every_integer_field_of_every_request_model() -> None:
    declared = set().union(*(_integer_fields(m) for m in _request_models()))
    assert declared == {case.field for case in CASES}


def _set(body: dict[str, Any], pointer: tuple[str | int, ...], value: Any) -> None:
    target: Any = body
    for part in pointer[:-1]:
        target = target[part]
    target[pointer[-1]] = value


@pytest.mark.parametrize("case", CASES, ids=[c.field for c in CASES])
def test_a_loosely_typed_integer_is_a_422_at_the_field_and_writes_nothing(
    client: TestClient, shop: Shop, case: Case
) -> None:
    url = case.url(shop)
    headers = shop.auth()
    if case.method == "patch":
        headers["If-Match"] = client.get(url, headers=headers).headers["ETag"]
    before = snapshot(shop.engine)

    for loose in LOOSE_ONES:
        body = case.body(shop)
        _set(body, case.pointer, loose)
        response = client.request(case.method, url, json=body, headers=headers)

        assert response.status_code == 422, (loose, response.text)
        assert response.headers["content-type"] == PROBLEM
        pointer = "/" + "/".join(map(str, case.pointer))
        errors = response.json()["errors"]
        assert [e["pointer"] for e in errors] == [pointer], (loose, errors)
        assert "valid integer" in errors[0]["detail"]
    assert snapshot(shop.engine) == before


@pytest.mark.parametrize("case", CASES, ids=[c.field for c in CASES])
def test_the_same_body_with_a_json_integer_is_accepted(
    client: TestClient, shop: Shop, case: Case
) -> None:
    # the refusals above are about the type alone: the body is otherwise valid
    url = case.url(shop)
    headers = shop.auth()
    if case.method == "patch":
        headers["If-Match"] = client.get(url, headers=headers).headers["ETag"]

    response = client.request(case.method, url, json=case.body(shop), headers=headers)

    assert response.status_code in (200, 201), response.text


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/v1/products?limit=1.5", "limit"),
        ("/v1/products?category_id=1.5", "category_id"),
        ("/v1/orders?limit=abc", "limit"),
        ("/v1/orders?min_total_cents=1e3", "min_total_cents"),
        ("/v1/products/1.5", "product_id"),
    ],
)
def test_a_non_integer_query_or_path_parameter_is_a_422(
    client: TestClient, shop: Shop, url: str, name: str
) -> None:
    before = snapshot(shop.engine)

    response = client.get(url, headers=shop.auth())

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["parameter"] == name
    assert snapshot(shop.engine) == before
