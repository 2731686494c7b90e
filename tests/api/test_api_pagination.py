"""Keyset pagination: pages, Link headers, signed cursors, and walking while rows arrive."""

from __future__ import annotations

import threading
from typing import Any

from api_support import Shop, TestClient

from shopdb.services import create_product, place_order, restock


def _walk(client: TestClient, shop: Shop, url: str) -> tuple[list[dict[str, Any]], int]:
    rows: list[dict[str, Any]] = []
    pages = 0
    while url:
        response = client.get(url, headers=shop.auth())
        assert response.status_code == 200, response.text
        body = response.json()
        rows += body["data"]
        pages += 1
        if body["has_more"]:
            link = response.headers["Link"]
            assert link.endswith('>; rel="next"')
            url = link[1 : link.index(">")]
            assert body["next_cursor"] in url
        else:
            assert body["next_cursor"] is None and "Link" not in response.headers
            url = ""
    return rows, pages


def test_pages_cover_every_row_once_in_key_order(client: TestClient, shop: Shop) -> None:
    for n in range(7):
        create_product(
            shop.engine, category_id=shop.category, sku=f"P-{n}", name=f"P{n}", price_cents=n
        )

    rows, pages = _walk(client, shop, "/v1/products?limit=3&max_price_cents=100")

    assert [r["sku"] for r in rows] == [f"P-{n}" for n in range(7)]
    assert pages == 3


def test_a_tampered_forged_or_foreign_cursor_is_a_400(client: TestClient, shop: Shop) -> None:
    first = client.get("/v1/users?limit=1", headers=shop.auth()).json()["next_cursor"]
    payload, signature = first.rsplit(".", 1)
    forged = "WyJ1c2VycyIsMTAwXQ." + signature  # ["users",100] with the old signature
    for cursor in (payload + "." + signature[::-1], forged, "garbage", first + "x"):
        response = client.get("/v1/users", params={"cursor": cursor}, headers=shop.auth())
        assert response.status_code == 400, cursor
        assert response.json()["type"].endswith("/bad-cursor")
    foreign = client.get("/v1/products", params={"cursor": first}, headers=shop.auth())
    assert foreign.status_code == 400
    assert "users" in foreign.json()["detail"]


def test_limit_defaults_to_50_and_caps_at_200(client: TestClient, shop: Shop) -> None:
    for _ in range(55):
        restock(shop.engine, shop.lamp, 1)
    url = f"/v1/products/{shop.lamp}/movements"
    assert len(client.get(url, headers=shop.auth()).json()["data"]) == 50
    assert len(client.get(f"{url}?limit=200", headers=shop.auth()).json()["data"]) == 56
    assert client.get(f"{url}?limit=201", headers=shop.auth()).status_code == 422


def test_walking_orders_while_others_are_placed_skips_none_and_repeats_none(
    client: TestClient, shop: Shop
) -> None:
    restock(shop.engine, shop.lamp, 1000)
    for _ in range(40):
        place_order(shop.engine, shop.user, {shop.lamp: 1})
    existing = {
        r["order_id"]
        for r in client.get("/v1/orders?limit=200", headers=shop.auth()).json()["data"]
    }
    stop = threading.Event()

    def keep_ordering() -> None:
        for _ in range(900):  # bounded by the stock: the walk, not the writer, ends first
            if stop.is_set():
                return
            place_order(shop.engine, shop.other_user, {shop.lamp: 1})

    writer = threading.Thread(target=keep_ordering)
    writer.start()
    try:
        rows, pages = _walk(client, shop, "/v1/orders?limit=7")
    finally:
        stop.set()
        writer.join()

    ids = [r["order_id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert existing <= set(ids)
    assert ids == sorted(ids)
    assert pages >= 6
