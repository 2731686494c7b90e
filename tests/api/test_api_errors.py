"""Every error is problem+json; bad input is a 4xx that writes nothing, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import Shop, TestClient, snapshot
from sqlalchemy.exc import OperationalError

PROBLEM = "application/problem+json"


def _assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    assert "Traceback" not in response.text
    return body


BAD_ORDERS = [
    pytest.param({"user_id": 1, "items": []}, "/items", id="empty-items"),
    pytest.param({"user_id": 1}, "/items", id="no-items"),
    pytest.param(
        {"user_id": 2**64, "items": [{"product_id": 1, "quantity": 1}]},
        "/user_id",
        id="int-beyond-64-bits",
    ),
    pytest.param(
        {"user_id": 1, "items": [{"product_id": 1, "quantity": 0}]},
        "/items/0/quantity",
        id="zero-quantity",
    ),
    pytest.param(
        {"user_id": 1, "items": [{"product_id": 1, "quantity": "2"}]},
        "/items/0/quantity",
        id="quantity-as-text",
    ),
    pytest.param(
        {"user_id": 1, "items": [{"product_id": 1, "quantity": 1, "x": 1}]},
        "/items/0/x",
        id="unknown-field",
    ),
    pytest.param(
        {"user_id": 1, "items": [{"product_id": 1, "quantity": 1}] * 101},
        "/items",
        id="too-many-items",
    ),
]


@pytest.mark.parametrize(("body", "pointer"), BAD_ORDERS)
def test_a_malformed_order_is_a_422_pointing_at_the_field_and_writes_nothing(
    client: TestClient, shop: Shop, body: dict[str, Any], pointer: str
) -> None:
    before = snapshot(shop.engine)

    problem = _assert_problem(client.post("/v1/orders", json=body, headers=shop.auth()), 422)

    assert pointer in [e.get("pointer") for e in problem["errors"]]
    assert snapshot(shop.engine) == before


def test_malformed_json_is_a_422_and_writes_nothing(client: TestClient, shop: Shop) -> None:
    before = snapshot(shop.engine)
    response = client.post(
        "/v1/orders",
        content=b'{"user_id": 1, "items": [',
        headers={**shop.auth(), "content-type": "application/json"},
    )
    _assert_problem(response, 422)
    assert snapshot(shop.engine) == before


def test_a_body_that_is_not_utf8_is_a_422_and_writes_nothing(
    client: TestClient, shop: Shop
) -> None:
    order = client.post(
        "/v1/orders",
        json={"user_id": shop.user, "items": [{"product_id": shop.lamp, "quantity": 1}]},
        headers=shop.auth(),
    ).json()
    before = snapshot(shop.engine)
    for url in ("/v1/orders", f"/v1/orders/{order['order_id']}/payments"):  # required, optional
        response = client.post(
            url,
            content=b"\\m\xff&d",
            headers={**shop.auth(), "content-type": "application/json"},
        )
        problem = _assert_problem(response, 422)
        assert problem["errors"][0]["pointer"] == ""
    assert snapshot(shop.engine) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", "x" * 101),
        ("first_name", "Ann\x00"),
        ("email", "a" * 250 + "@example.com"),
        ("country_code", "FRA"),
    ],
    ids=["overlong", "nul-byte", "overlong-email", "bad-country"],
)
def test_a_bad_user_is_a_422_and_writes_nothing(
    client: TestClient, shop: Shop, field: str, value: str
) -> None:
    body = {"email": "new@example.com", "first_name": "New", "last_name": "User", field: value}
    before = snapshot(shop.engine)

    problem = _assert_problem(client.post("/v1/users", json=body, headers=shop.auth()), 422)

    assert problem["errors"][0]["pointer"] == f"/{field}"
    assert snapshot(shop.engine) == before


def test_overlong_and_nul_product_fields_are_422s(client: TestClient, shop: Shop) -> None:
    before = snapshot(shop.engine)
    base = {"category_id": shop.category, "sku": "NEW-1", "name": "New", "price_cents": 100}
    for change in (
        {"sku": "S" * 65},
        {"name": "n\x00"},
        {"price_cents": 2**63},
        {"price_cents": -1},
    ):
        _assert_problem(
            client.post("/v1/products", json={**base, **change}, headers=shop.auth()), 422
        )
    assert snapshot(shop.engine) == before


@pytest.mark.parametrize(
    "url",
    [
        "/v1/orders?colour=red",
        "/v1/products?limt=5",
        "/v1/orders/1?expand=items&x=1",
        "/v1/events?since=1",
    ],
)
def test_an_unknown_query_parameter_is_a_422(client: TestClient, shop: Shop, url: str) -> None:
    problem = _assert_problem(client.get(url, headers=shop.auth()), 422)
    assert problem["errors"][0]["detail"] == "unknown query parameter"


@pytest.mark.parametrize(
    "url",
    [
        "/v1/orders/18446744073709551616",
        "/v1/orders/0",
        "/v1/orders?limit=201",
        "/v1/orders?limit=0",
        "/v1/orders?user_id=-1",
        "/v1/orders?expand=secrets",
        "/v1/products?q=%00",
    ],
)
def test_out_of_range_parameters_are_422s(client: TestClient, shop: Shop, url: str) -> None:
    _assert_problem(client.get(url, headers=shop.auth()), 422)


def test_an_unknown_id_is_a_404_problem(client: TestClient, shop: Shop) -> None:
    for url in ("/v1/orders/777", "/v1/users/777", "/v1/products/777", "/v1/categories/777"):
        problem = _assert_problem(client.get(url, headers=shop.auth()), 404)
        assert "777" in problem["detail"]
    _assert_problem(client.get("/v1/nowhere", headers=shop.auth()), 404)


def test_an_unexpected_error_is_a_500_with_a_request_id_and_no_traceback(
    client: TestClient, shop: Shop
) -> None:
    def boom() -> None:
        raise RuntimeError("secret internals")

    client.app.add_api_route("/boom", boom)  # type: ignore[attr-defined]

    response = client.get("/boom")

    problem = _assert_problem(response, 500)
    assert problem["request_id"] == response.headers["X-Request-Id"]
    assert problem["request_id"] in problem["detail"]
    assert "secret internals" not in response.text


def test_a_transient_database_failure_is_a_503_with_retry_after(
    client: TestClient, shop: Shop
) -> None:
    def lost() -> None:
        raise OperationalError("select 1", {}, ConnectionError("server closed the connection"))

    client.app.add_api_route("/lost", lost)  # type: ignore[attr-defined]

    response = client.get("/lost")

    _assert_problem(response, 503)
    assert response.headers["Retry-After"] == "1"
    assert "server closed" not in response.text


def test_health_and_ready_need_no_key(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/ready").json() == {"status": "ready"}


def test_the_routes_pool_keeps_the_configured_connections(client: TestClient) -> None:
    # fewer than the requests in flight, and connections open and close all the time
    state = client.app.state  # type: ignore[attr-defined]
    assert state.engine.pool.size() == state.api_config.pool_size == 10
