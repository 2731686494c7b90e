"""Idempotency-Key: a repeat replays the first response and writes nothing."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from api_support import Shop, TestClient, count_rows, snapshot, stock_of

from shopdb.api.deps import api_routes
from shopdb.api.idempotent import KEY_HEADER, KEY_PARAMETER
from shopdb.api.openapi import openapi_document
from shopdb.db.schema import idempotency_keys, orders, payments
from shopdb.services.idempotency import KEY_PATTERN, MAX_KEY_LENGTH


def test_a_repeated_order_replays_the_first_response_and_writes_nothing(
    client: TestClient, shop: Shop
) -> None:
    body = {"user_id": shop.user, "items": [{"product_id": shop.lamp, "quantity": 2}]}
    headers = {**shop.auth("clerk"), "Idempotency-Key": "order-abc-1"}

    first = client.post("/v1/orders", json=body, headers=headers)
    after_first = snapshot(shop.engine)
    again = client.post("/v1/orders", json=body, headers=headers)

    assert first.status_code == again.status_code == 201
    assert first.headers["Idempotent-Replayed"] == "false"
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["Location"] == first.headers["Location"]
    assert snapshot(shop.engine) == after_first
    assert count_rows(shop.engine, orders) == 1
    assert stock_of(shop.engine, shop.lamp) == 3


def test_the_same_key_with_another_body_is_a_422_and_writes_nothing(
    client: TestClient, shop: Shop
) -> None:
    headers = {**shop.auth("clerk"), "Idempotency-Key": "k-2"}
    client.post(
        "/v1/orders",
        json={"user_id": shop.user, "items": [{"product_id": shop.lamp, "quantity": 1}]},
        headers=headers,
    )
    before = snapshot(shop.engine)

    other = client.post(
        "/v1/orders",
        json={"user_id": shop.user, "items": [{"product_id": shop.lamp, "quantity": 3}]},
        headers=headers,
    )

    assert other.status_code == 422
    assert other.json()["type"].endswith("/idempotency-key-reused")
    assert snapshot(shop.engine) == before


def test_a_failed_write_stores_no_key_so_a_retry_runs_again(client: TestClient, shop: Shop) -> None:
    body = {"user_id": shop.user, "items": [{"product_id": shop.mug, "quantity": 3}]}
    headers = {**shop.auth("clerk"), "Idempotency-Key": "retry-me"}

    assert client.post("/v1/orders", json=body, headers=headers).status_code == 409
    assert count_rows(shop.engine, idempotency_keys) == 0
    client.post(f"/v1/products/{shop.mug}/restock", json={"quantity": 5}, headers=shop.auth())

    assert client.post("/v1/orders", json=body, headers=headers).status_code == 201
    assert count_rows(shop.engine, idempotency_keys) == 1


def test_payments_refunds_and_restocks_replay(client: TestClient, shop: Shop) -> None:
    clerk = shop.auth("clerk")
    order_id = client.post(
        "/v1/orders",
        json={"user_id": shop.user, "items": [{"product_id": shop.lamp, "quantity": 1}]},
        headers=clerk,
    ).json()["order_id"]
    for _ in range(2):
        paid = client.post(
            f"/v1/orders/{order_id}/payments",
            json={"method": "card"},
            headers={**clerk, "Idempotency-Key": "pay-1"},
        )
        assert paid.status_code == 201
    assert count_rows(shop.engine, payments) == 1
    assert paid.headers["Idempotent-Replayed"] == "true"
    for _ in range(2):
        refunded = client.post(
            f"/v1/orders/{order_id}/refund", headers={**clerk, "Idempotency-Key": "refund-1"}
        )
        assert refunded.status_code == 200, refunded.text
    assert refunded.json()["status"] == "refunded"
    for _ in range(2):
        restocked = client.post(
            f"/v1/products/{shop.mug}/restock",
            json={"quantity": 4},
            headers={**clerk, "Idempotency-Key": "rs-1"},
        )
    assert restocked.json()["quantity_on_hand"] == 6
    assert stock_of(shop.engine, shop.mug) == 6


def test_a_malformed_key_is_a_422(client: TestClient, shop: Shop) -> None:
    before = snapshot(shop.engine)
    for key in ("x" * 65, "has space", ""):
        response = client.post(
            f"/v1/products/{shop.mug}/restock",
            json={"quantity": 1},
            headers={**shop.auth(), "Idempotency-Key": key},
        )
        assert response.status_code == 422, key
    assert snapshot(shop.engine) == before


def _key_routes(app: Any) -> set[tuple[str, str]]:
    return {
        (method.lower(), path)
        for method, path, dependant in api_routes(app)
        if any(p.alias == KEY_HEADER for p in dependant.header_params)
    }


def test_the_document_declares_the_key_once_with_the_limits_the_code_enforces(
    client: TestClient,
) -> None:
    document = json.loads(openapi_document())
    ref = {"$ref": f"#/components/parameters/{KEY_PARAMETER}"}
    referring = {
        (method, path)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if ref in operation.get("parameters", [])
    }
    inline = [
        (method, path)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for p in operation.get("parameters", [])
        if p.get("name") == KEY_HEADER
    ]

    assert referring == _key_routes(client.app) == KEY_ROUTES
    assert inline == []
    shared = document["components"]["parameters"][KEY_PARAMETER]
    assert (shared["name"], shared["in"], shared["required"]) == (KEY_HEADER, "header", False)
    assert shared["schema"] == {
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_KEY_LENGTH,
        "pattern": KEY_PATTERN,
    }


KEY_ROUTES = {
    ("post", "/v1/orders"),
    ("post", "/v1/orders/{order_id}/payments"),
    ("post", "/v1/orders/{order_id}/refund"),
    ("post", "/v1/products/{product_id}/restock"),
}


def _declared_valid(key: str) -> bool:
    return 1 <= len(key) <= MAX_KEY_LENGTH and re.search(KEY_PATTERN, key) is not None


@pytest.mark.parametrize(
    "key",
    ["k", "x" * 64, "!~order/1:a=b", "x" * 65, "", "has space", "tab\tkey", "\xe9t\xe9", "a\x7f"],
)
def test_the_server_accepts_exactly_the_keys_the_document_allows(
    client: TestClient, shop: Shop, key: str
) -> None:
    before = snapshot(shop.engine)

    response = client.post(
        f"/v1/products/{shop.mug}/restock",
        json={"quantity": 1},
        headers={**shop.auth(), KEY_HEADER: key.encode("latin-1")},  # type: ignore[dict-item]
    )

    if _declared_valid(key):
        assert response.status_code == 200, response.text
        assert stock_of(shop.engine, shop.mug) == 3
    else:
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["header"] == KEY_HEADER
        assert snapshot(shop.engine) == before
