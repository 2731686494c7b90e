"""The order contract through HTTP: place, pay, cancel, ship, deliver, refund, restock."""

from __future__ import annotations

from typing import Any

from api_support import Shop, TestClient, count_rows, snapshot, stock_of
from sqlalchemy import event

from shopdb.db.schema import orders, payments, shipments


def _place(client: TestClient, shop: Shop, items: list[dict[str, int]], **headers: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/v1/orders",
        json={"user_id": shop.user, "items": items},
        headers={**shop.auth("clerk"), **headers},
    )


def test_placing_an_order_returns_201_a_location_and_the_order(
    client: TestClient, shop: Shop
) -> None:
    response = _place(client, shop, [{"product_id": shop.lamp, "quantity": 2}])

    assert response.status_code == 201
    order = response.json()
    assert response.headers["Location"] == f"/v1/orders/{order['order_id']}"
    assert order["status"] == "pending"
    assert order["total_cents"] == 2000
    assert order["items"] == [
        {
            "product_id": shop.lamp,
            "sku": "LAMP-1",
            "name": "Lamp",
            "quantity": 2,
            "unit_price_cents": 1000,
        }
    ]
    assert stock_of(shop.engine, shop.lamp) == 3
    fetched = client.get(response.headers["Location"], headers=shop.auth("analyst"))
    assert fetched.status_code == 200
    assert fetched.json()["total_cents"] == 2000


def test_out_of_stock_is_a_409_with_its_facts_and_writes_nothing(
    client: TestClient, shop: Shop
) -> None:
    before = snapshot(shop.engine)

    response = _place(
        client,
        shop,
        [{"product_id": shop.lamp, "quantity": 1}, {"product_id": shop.mug, "quantity": 3}],
    )

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("/out-of-stock")
    assert (problem["product_id"], problem["requested"], problem["available"]) == (shop.mug, 3, 2)
    assert problem["status"] == 409 and problem["title"] and problem["detail"]
    assert snapshot(shop.engine) == before


def test_unknown_user_or_product_is_a_404_and_writes_nothing(
    client: TestClient, shop: Shop
) -> None:
    before = snapshot(shop.engine)
    unknown_user = client.post(
        "/v1/orders",
        json={"user_id": 999, "items": [{"product_id": shop.lamp, "quantity": 1}]},
        headers=shop.auth("clerk"),
    )
    unknown_product = _place(client, shop, [{"product_id": 999, "quantity": 1}])

    assert unknown_user.status_code == 404
    assert unknown_product.status_code == 404
    assert "product 999" in unknown_product.json()["detail"]
    assert snapshot(shop.engine) == before


def test_the_whole_lifecycle_pay_ship_deliver_refund(client: TestClient, shop: Shop) -> None:
    order_id = _place(client, shop, [{"product_id": shop.mug, "quantity": 2}]).json()["order_id"]
    clerk = shop.auth("clerk")

    paid = client.post(f"/v1/orders/{order_id}/payments", json={"method": "paypal"}, headers=clerk)
    assert paid.status_code == 201
    assert (paid.json()["amount_cents"], paid.json()["status"]) == (500, "completed")
    shipped = client.post(
        f"/v1/orders/{order_id}/ship",
        json={"carrier": "DHL", "tracking_number": "T-1"},
        headers=clerk,
    )
    assert shipped.status_code == 200
    assert shipped.json()["status"] == "shipped"
    assert shipped.json()["shipment"]["tracking_number"] == "T-1"
    delivered = client.post(f"/v1/orders/{order_id}/deliver", headers=clerk)
    assert delivered.json()["status"] == "delivered"
    refunded = client.post(f"/v1/orders/{order_id}/refund", headers=clerk)
    assert refunded.status_code == 200
    assert refunded.json()["status"] == "refunded"

    history = client.get(f"/v1/orders/{order_id}?expand=history,payments", headers=clerk).json()
    assert [h["to_status"] for h in history["history"]] == [
        "pending",
        "paid",
        "shipped",
        "delivered",
        "refunded",
    ]
    assert [p["status"] for p in history["payments"]] == ["refunded"]
    assert count_rows(shop.engine, shipments, shipments.c.order_id == order_id) == 1


def test_a_payment_with_the_wrong_amount_is_a_409_and_writes_nothing(
    client: TestClient, shop: Shop
) -> None:
    order_id = _place(client, shop, [{"product_id": shop.lamp, "quantity": 1}]).json()["order_id"]
    before = snapshot(shop.engine)

    response = client.post(
        f"/v1/orders/{order_id}/payments", json={"amount_cents": 999}, headers=shop.auth("clerk")
    )

    assert response.status_code == 409
    assert (response.json()["expected_cents"], response.json()["given_cents"]) == (1000, 999)
    assert snapshot(shop.engine) == before


def test_cancel_returns_the_stock_and_a_second_cancel_is_a_409_naming_both_statuses(
    client: TestClient, shop: Shop
) -> None:
    order_id = _place(client, shop, [{"product_id": shop.lamp, "quantity": 4}]).json()["order_id"]
    clerk = shop.auth("clerk")

    assert (
        client.post(f"/v1/orders/{order_id}/cancel", headers=clerk).json()["status"] == "cancelled"
    )
    assert stock_of(shop.engine, shop.lamp) == 5
    before = snapshot(shop.engine)
    again = client.post(f"/v1/orders/{order_id}/cancel", headers=clerk)

    assert again.status_code == 409
    assert (again.json()["current_status"], again.json()["target"]) == ("cancelled", "cancelled")
    assert snapshot(shop.engine) == before


def test_shipping_an_unpaid_order_is_a_409(client: TestClient, shop: Shop) -> None:
    order_id = _place(client, shop, [{"product_id": shop.lamp, "quantity": 1}]).json()["order_id"]
    before = snapshot(shop.engine)

    response = client.post(f"/v1/orders/{order_id}/ship", headers=shop.auth("clerk"))

    assert response.status_code == 409
    assert response.json()["current_status"] == "pending"
    assert snapshot(shop.engine) == before


def test_an_action_on_an_unknown_order_is_a_404(client: TestClient, shop: Shop) -> None:
    for action in ("cancel", "ship", "deliver", "refund"):
        response = client.post(f"/v1/orders/424242/{action}", headers=shop.auth("clerk"))
        assert response.status_code == 404, action
        assert response.headers["content-type"] == "application/problem+json"


def test_orders_cannot_be_patched_or_deleted(client: TestClient, shop: Shop) -> None:
    order_id = _place(client, shop, [{"product_id": shop.lamp, "quantity": 1}]).json()["order_id"]

    assert client.patch(f"/v1/orders/{order_id}", json={}, headers=shop.auth()).status_code == 405
    assert client.delete(f"/v1/orders/{order_id}", headers=shop.auth()).status_code == 405
    assert count_rows(shop.engine, orders) == 1


def test_restock_adds_units_with_a_receipt(client: TestClient, shop: Shop) -> None:
    response = client.post(
        f"/v1/products/{shop.mug}/restock", json={"quantity": 8}, headers=shop.auth("clerk")
    )

    assert response.status_code == 200
    assert response.json()["quantity_on_hand"] == 10
    assert stock_of(shop.engine, shop.mug) == 10
    ledger = client.get(f"/v1/products/{shop.mug}/movements", headers=shop.auth("analyst")).json()
    assert [(m["reason"], m["quantity_delta"]) for m in ledger["data"]] == [
        ("receipt", 2),
        ("receipt", 8),
    ]


def test_lists_of_orders_payments_and_shipments_filter(client: TestClient, shop: Shop) -> None:
    first = _place(client, shop, [{"product_id": shop.lamp, "quantity": 1}]).json()["order_id"]
    second = _place(client, shop, [{"product_id": shop.mug, "quantity": 1}]).json()["order_id"]
    clerk = shop.auth("clerk")
    client.post(f"/v1/orders/{second}/payments", headers=clerk)

    pending = client.get("/v1/orders?status=pending", headers=clerk).json()["data"]
    big = client.get("/v1/orders?min_total_cents=500", headers=clerk).json()["data"]
    paid = client.get(f"/v1/payments?order_id={second}", headers=clerk).json()["data"]

    assert [o["order_id"] for o in pending] == [first]
    assert [o["order_id"] for o in big] == [first]
    assert [(p["order_id"], p["amount_cents"]) for p in paid] == [(second, 250)]
    assert client.get("/v1/shipments", headers=clerk).json()["data"] == []
    assert count_rows(shop.engine, payments) == 1


def test_expanding_a_page_of_orders_reads_each_part_once_for_the_whole_page(
    client: TestClient, shop: Shop
) -> None:
    clerk = shop.auth("clerk")
    placed = [_place(client, shop, [{"product_id": shop.lamp, "quantity": 1}]) for _ in range(3)]
    ids = [p.json()["order_id"] for p in placed]
    assert client.post(f"/v1/orders/{ids[0]}/payments", headers=clerk).status_code == 201
    assert client.post(f"/v1/orders/{ids[0]}/ship", headers=clerk).status_code == 200
    assert client.post(f"/v1/orders/{ids[1]}/payments", headers=clerk).status_code == 201
    selects: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    everything = "items,payments,history,shipment"
    engine = client.app.state.engine  # type: ignore[attr-defined]
    event.listen(engine, "before_cursor_execute", count)
    try:
        pages = {
            limit: client.get(f"/v1/orders?expand={everything}&limit={limit}", headers=clerk)
            for limit in (1, 3)
        }
        counted = len(selects)
    finally:
        event.remove(engine, "before_cursor_execute", count)

    assert all(page.status_code == 200 for page in pages.values())
    # each page: the orders, then one query per part (the key lookup is cached by then)
    assert counted == 2 * (1 + 4), selects
    listed = pages[3].json()["data"]
    assert [o["order_id"] for o in listed] == ids
    for order in listed:
        alone = client.get(f"/v1/orders/{order['order_id']}?expand={everything}", headers=clerk)
        assert order == alone.json()
    assert [len(o["payments"]) for o in listed] == [1, 1, 0]
    assert [o["shipment"] is not None for o in listed] == [True, False, False]
    assert [h["to_status"] for h in listed[0]["history"]] == ["pending", "paid", "shipped"]


def test_reading_an_order_reads_only_the_parts_its_response_shows(
    client: TestClient, shop: Shop
) -> None:
    clerk = shop.auth("clerk")
    order_id = _place(client, shop, [{"product_id": shop.lamp, "quantity": 1}]).json()["order_id"]
    assert client.post(f"/v1/orders/{order_id}/payments", headers=clerk).status_code == 201
    # the key is cached from here on, for longer than a loaded machine takes to the end
    # (the default second can run out between two requests and add a key lookup)
    client.app.state.key_cache.ttl_s = 60  # type: ignore[attr-defined]
    client.get(f"/v1/orders/{order_id}", headers=clerk)
    selects: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    engine = client.app.state.engine  # type: ignore[attr-defined]
    event.listen(engine, "before_cursor_execute", count)
    try:
        plain = client.get(f"/v1/orders/{order_id}", headers=clerk)
        plain_selects = len(selects)
        paid = client.get(f"/v1/orders/{order_id}?expand=payments", headers=clerk)
    finally:
        event.remove(engine, "before_cursor_execute", count)

    # the order's row and its items; payments only when asked for
    assert plain_selects == 2, selects
    assert len(selects) == 2 + 3, selects
    assert "payments" not in plain.json() or plain.json()["payments"] in (None, [])
    assert [p["order_id"] for p in paid.json()["payments"]] == [order_id]
    assert paid.json()["items"] == plain.json()["items"]


def test_a_placed_order_answers_exactly_what_reading_it_back_does(
    client: TestClient, shop: Shop
) -> None:
    # the response is rendered in the order's own transaction, reading only the parts a
    # new order can have: it must still be the whole order as a read shows it
    body = {"user_id": shop.user, "items": [{"product_id": shop.lamp, "quantity": 2}]}
    placed = client.post("/v1/orders", json=body, headers=shop.auth("clerk"))
    assert placed.status_code == 201, placed.text

    read = client.get(
        f"/v1/orders/{placed.json()['order_id']}?expand=items,payments,history,shipment",
        headers=shop.auth("clerk"),
    )

    assert placed.json() == read.json()
    assert placed.json()["payments"] == [] and placed.json()["shipment"] is None
    assert [h["to_status"] for h in placed.json()["history"]] == ["pending"]
