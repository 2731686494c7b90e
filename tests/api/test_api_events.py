"""The event feed: every event exactly once, even one whose transaction commits late."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from api_support import Shop, TestClient
from sqlalchemy import event
from sqlalchemy.engine import URL

from shopdb.db.engine import make_engine
from shopdb.services import pay_order, place_order


def _follow(client: TestClient, shop: Shop, cursor: str | None) -> tuple[list[dict[str, Any]], str]:
    """Every event after ``cursor``, page by page; the last cursor."""
    seen: list[dict[str, Any]] = []
    while True:
        params = {"limit": 4} | ({"cursor": cursor} if cursor else {})
        response = client.get("/v1/events", params=params, headers=shop.auth("analyst"))
        assert response.status_code == 200, response.text
        body = response.json()
        seen += body["data"]
        cursor = body["next_cursor"]
        assert cursor
        if not body["has_more"]:
            return seen, cursor


def test_following_the_feed_gives_every_event_once(client: TestClient, shop: Shop) -> None:
    start, cursor = _follow(client, shop, None)
    # the shop's opening stock: two receipts
    assert [(e["type"], e["product_id"], e["quantity_delta"]) for e in start] == [
        ("stock.moved", shop.lamp, 5),
        ("stock.moved", shop.mug, 2),
    ]
    order_id = place_order(shop.engine, shop.user, {shop.lamp: 1, shop.mug: 1})
    pay_order(shop.engine, order_id, 1250, "card")

    later, cursor = _follow(client, shop, cursor)
    nothing, _ = _follow(client, shop, cursor)

    kinds = sorted(
        (e["type"], e.get("to_status") or e.get("reason") or e.get("status")) for e in later
    )
    assert kinds == [
        ("order.status_changed", "paid"),
        ("order.status_changed", "pending"),
        ("payment.recorded", "completed"),
        ("stock.moved", "sale"),
        ("stock.moved", "sale"),
    ]
    assert len({e["event_id"] for e in start + later}) == len(start + later)
    assert nothing == []


def test_a_tampered_feed_cursor_is_a_400(client: TestClient, shop: Shop) -> None:
    _, cursor = _follow(client, shop, None)
    response = client.get("/v1/events", params={"cursor": cursor[:-2] + "xx"}, headers=shop.auth())
    assert response.status_code == 400


def test_an_event_committed_after_a_later_numbered_one_is_still_delivered_once(
    client: TestClient, shop: Shop, backend: str, db_url: URL
) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite runs one writer at a time: no transaction can commit out of id order")
    _, cursor = _follow(client, shop, None)
    held, release = threading.Event(), threading.Event()
    slow = make_engine(db_url)

    @event.listens_for(slow, "before_cursor_execute")
    def hold(_conn: Any, _cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO INVENTORY_MOVEMENTS"):
            held.set()
            release.wait(30)

    early: list[int] = []
    holder = threading.Thread(
        target=lambda: early.append(place_order(slow, shop.user, {shop.lamp: 1}))
    )
    holder.start()
    try:
        assert held.wait(30)
        # the held order wrote its history row (a lower id) but has not committed
        late = place_order(shop.engine, shop.other_user, {shop.mug: 1})
        first, cursor = _follow(client, shop, cursor)
    finally:
        release.set()
        holder.join()
        slow.dispose()
    second, cursor = _follow(client, shop, cursor)
    third, _ = _follow(client, shop, cursor)

    def orders_of(events: list[dict[str, Any]]) -> list[int]:
        return [e["order_id"] for e in events if e["type"] == "order.status_changed"]

    assert orders_of(first) == [late]
    assert orders_of(second) == early
    assert third == []
    ids = [e["event_id"] for e in first + second]
    assert len(ids) == len(set(ids))
    status_ids = sorted(
        int(e["event_id"].split("-")[1])
        for e in first + second
        if e["type"] == "order.status_changed"
    )
    assert f"status-{status_ids[0]}" in [e["event_id"] for e in second]  # the lower id came second
