"""Races through a real server: concurrent HTTP clients against ``shopdb serve``."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from api_support import Shop, assert_audit_clean, count_rows, stock_of
from server import serving
from sqlalchemy import text
from sqlalchemy.engine import URL

from shopdb.db.engine import make_engine
from shopdb.db.schema import orders, payments
from shopdb.services import pay_order, place_order

pytestmark = pytest.mark.slow
CLIENTS = 8


@pytest.fixture
def server(shop: Shop, db_url: URL) -> Iterator[str]:
    """The base URL of ``shopdb serve`` on the shop's database."""
    with serving(db_url, SHOPDB_API_ANALYTICS_TIMEOUT_S="20") as base:
        yield base


def _together(
    count: int, call: Callable[[httpx.Client], httpx.Response], base: str
) -> list[httpx.Response]:
    """Run ``call`` from ``count`` clients at once, each on its own connection."""
    start = threading.Barrier(count)

    def one(_: int) -> httpx.Response:
        with httpx.Client(base_url=base, timeout=60) as client:
            start.wait()
            return call(client)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def test_many_clients_buying_the_last_units_sell_exactly_those(server: str, shop: Shop) -> None:
    body = {"user_id": shop.user, "items": [{"product_id": shop.mug, "quantity": 1}]}

    responses = _together(
        CLIENTS, lambda c: c.post("/v1/orders", json=body, headers=shop.auth("clerk")), server
    )

    assert Counter(r.status_code for r in responses) == {201: 2, 409: CLIENTS - 2}
    # (the count of available units comes from the loser's snapshot, not always 0 on MariaDB)
    assert all(r.json()["product_id"] == shop.mug for r in responses if r.status_code == 409)
    assert stock_of(shop.engine, shop.mug) == 0
    assert count_rows(shop.engine, orders) == 2
    assert_audit_clean(shop.engine)


def test_concurrent_payments_with_one_key_record_one_payment(server: str, shop: Shop) -> None:
    order_id = place_order(shop.engine, shop.user, {shop.lamp: 1})
    headers = {**shop.auth("clerk"), "Idempotency-Key": "pay-once"}

    responses = _together(
        CLIENTS,
        lambda c: c.post(
            f"/v1/orders/{order_id}/payments", json={"method": "card"}, headers=headers
        ),
        server,
    )

    assert [r.status_code for r in responses] == [201] * CLIENTS
    assert len({r.json()["payment_id"] for r in responses}) == 1
    assert Counter(r.headers["Idempotent-Replayed"] for r in responses)["false"] == 1
    assert count_rows(shop.engine, payments) == 1
    assert_audit_clean(shop.engine)


def _cancel_or_ship(shop: Shop, order_id: int) -> Callable[[httpx.Client], httpx.Response]:
    actions = iter(["cancel", "ship"])
    lock = threading.Lock()

    def act(client: httpx.Client) -> httpx.Response:
        with lock:
            action = next(actions)
        return client.post(f"/v1/orders/{order_id}/{action}", headers=shop.auth("clerk"))

    return act


def test_concurrent_cancel_and_ship_one_wins_one_is_a_409(server: str, shop: Shop) -> None:
    for _ in range(3):
        order_id = place_order(shop.engine, shop.user, {shop.lamp: 1})
        pay_order(shop.engine, order_id, 1000, "card")

        responses = _together(2, _cancel_or_ship(shop, order_id), server)

        assert sorted(r.status_code for r in responses) == [200, 409]
    assert_audit_clean(shop.engine)


def test_two_patches_with_one_if_match_one_200_one_412(server: str, shop: Shop) -> None:
    with httpx.Client(base_url=server, timeout=30) as client:
        etag = client.get(f"/v1/products/{shop.lamp}", headers=shop.auth()).headers["ETag"]
    prices = iter([1100, 1200])
    lock = threading.Lock()

    def patch(client: httpx.Client) -> httpx.Response:
        with lock:
            price = next(prices)
        return client.patch(
            f"/v1/products/{shop.lamp}",
            json={"price_cents": price},
            headers={**shop.auth("clerk"), "If-Match": etag},
        )

    responses = _together(2, patch, server)

    assert sorted(r.status_code for r in responses) == [200, 412]
    winner = next(r for r in responses if r.status_code == 200).json()["price_cents"]
    with httpx.Client(base_url=server, timeout=30) as client:
        assert (
            client.get(f"/v1/products/{shop.lamp}", headers=shop.auth()).json()["price_cents"]
            == winner
        )
    assert_audit_clean(shop.engine)


def test_stuck_analytics_do_not_starve_the_order_endpoints(
    server: str, shop: Shop, backend: str, db_url: URL
) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite readers never wait on a lock, so no analytics query can be held up")
    locker = make_engine(db_url)
    holding, done = threading.Event(), threading.Event()

    def lock_categories() -> None:
        with locker.connect() as conn:
            if backend == "postgresql":
                conn.begin()
                conn.execute(text("LOCK TABLE categories IN ACCESS EXCLUSIVE MODE"))
            else:
                conn.execute(text("LOCK TABLES categories WRITE"))
            holding.set()
            done.wait(60)
            if backend == "mysql":
                conn.execute(text("UNLOCK TABLES"))
            else:
                conn.rollback()

    locking = threading.Thread(target=lock_categories)
    locking.start()
    assert holding.wait(30)
    analytics: list[Any] = []
    try:
        with ThreadPoolExecutor(6) as pool:
            stuck = [
                pool.submit(
                    lambda: httpx.get(
                        f"{server}/v1/analytics/revenue_by_category",
                        headers=shop.auth(),
                        timeout=60,
                    )
                )
                for _ in range(6)
            ]
            with httpx.Client(base_url=server, timeout=30) as client:
                placed = [
                    client.post(
                        "/v1/orders",
                        json={
                            "user_id": shop.user,
                            "items": [{"product_id": shop.lamp, "quantity": 1}],
                        },
                        headers=shop.auth("clerk"),
                    ).status_code
                    for _ in range(5)
                ]
            # every order went through while every analytics request was still held up
            assert not any(f.done() for f in stuck)
            done.set()
            analytics = [f.result() for f in stuck]
    finally:
        done.set()
        locking.join()
        locker.dispose()
    assert placed == [201] * 5
    assert {r.status_code for r in analytics} <= {200, 503}
    assert_audit_clean(shop.engine)
