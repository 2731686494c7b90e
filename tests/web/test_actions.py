"""Every action through the pages: its effect in the stored rows, its refusal, and a
repeated submission that changes nothing, on every backend."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import URL, Engine

from shopdb.db.schema import (
    idempotency_keys,
    inventory,
    inventory_movements,
    orders,
    payments,
    shipments,
    staff_accounts,
)
from webshop import action_key_of, client_for, csrf_of


def _status(engine: Engine, order_id: int) -> str:
    with engine.connect() as conn:
        return str(
            conn.execute(select(orders.c.status).where(orders.c.order_id == order_id)).scalar_one()
        )


def _count(engine: Engine, table, *where) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def _total(engine: Engine, order_id: int) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(orders.c.total_cents).where(orders.c.order_id == order_id)
            ).scalar_one()
        )


def _form(client, path: str) -> dict[str, str]:
    page = client.get(path)
    assert page.status_code == 200
    return {"csrf_token": csrf_of(page.text), "action_key": action_key_of(page.text)}


def test_pay_then_ship_then_deliver_then_refund(small_shop: Engine, shop_url: URL) -> None:
    for client in client_for(shop_url, "clerk@example.com"):
        form = _form(client, "/orders/2")
        paid = client.post(
            "/orders/2/pay",
            data={**form, "amount_cents": str(_total(small_shop, 2)), "method": "paypal"},
            follow_redirects=False,
        )
        assert paid.status_code == 303
        assert paid.headers["location"] == "/orders/2?done=pay"
        assert _status(small_shop, 2) == "paid"
        assert _count(small_shop, payments, payments.c.order_id == 2) == 1

        shipped = client.post(
            "/orders/2/ship", data={**_form(client, "/orders/2"), "carrier": "DHL"}
        )
        assert shipped.status_code == 200 and "Done: ship." in shipped.text
        assert _status(small_shop, 2) == "shipped"
        assert (
            _count(small_shop, shipments, shipments.c.order_id == 2, shipments.c.carrier == "DHL")
            == 1
        )

        client.post("/orders/2/deliver", data=_form(client, "/orders/2"))
        assert _status(small_shop, 2) == "delivered"
        client.post("/orders/2/refund", data=_form(client, "/orders/2"))
        assert _status(small_shop, 2) == "refunded"
        assert _count(small_shop, payments, payments.c.status == "refunded") == 1


def test_a_form_sent_twice_changes_the_order_once(small_shop: Engine, shop_url: URL) -> None:
    for client in client_for(shop_url, "clerk@example.com"):
        form = {**_form(client, "/orders/1"), "amount_cents": str(_total(small_shop, 1))}
        first = client.post("/orders/1/pay", data=form, follow_redirects=False)
        second = client.post("/orders/1/pay", data=form, follow_redirects=False)
        assert first.headers["location"] == "/orders/1?done=pay"
        assert second.headers["location"] == "/orders/1?done=repeat"
        assert _count(small_shop, payments, payments.c.order_id == 1) == 1
        assert "already sent" in client.get(second.headers["location"]).text


def test_a_form_key_is_stored_with_its_action_and_never_with_a_refusal(
    small_shop: Engine, shop_url: URL
) -> None:
    # the key lives in idempotency_keys, owned by the staff account, written in the
    # action's own transaction: a refused action leaves no key behind
    for client in client_for(shop_url, "clerk@example.com"):
        refused_form = _form(client, "/orders/2")
        refused = client.post("/orders/2/ship", data=refused_form)
        assert refused.status_code == 409
        assert _count(small_shop, idempotency_keys) == 0

        form = _form(client, "/orders/3")
        client.post("/orders/3/cancel", data=form, follow_redirects=False)
    with small_shop.connect() as conn:
        rows = conn.execute(
            select(
                idempotency_keys.c.idempotency_key,
                idempotency_keys.c.api_key_id,
                idempotency_keys.c.staff_id,
                idempotency_keys.c.response_body,
            )
        ).all()
        clerk = conn.execute(
            select(staff_accounts.c.staff_id).where(staff_accounts.c.email == "clerk@example.com")
        ).scalar_one()
    assert [tuple(r) for r in rows] == [(form["action_key"], None, clerk, '{"action": "cancel:3"}')]
    assert _status(small_shop, 3) == "cancelled"


def test_cancel_returns_the_stock(small_shop: Engine, shop_url: URL) -> None:
    before = _count(small_shop, inventory_movements, inventory_movements.c.reason == "return")
    for client in client_for(shop_url, "admin@example.com"):
        client.post("/orders/3/cancel", data=_form(client, "/orders/3"))
    assert _status(small_shop, 3) == "cancelled"
    assert (
        _count(small_shop, inventory_movements, inventory_movements.c.reason == "return")
        == before + 1
    )


def test_a_refused_action_shows_why_and_writes_nothing(small_shop: Engine, shop_url: URL) -> None:
    for client in client_for(shop_url, "clerk@example.com"):
        form = _form(client, "/orders/1")
        # the page was rendered while the order was pending; someone else cancels it
        client.post("/orders/1/cancel", data=_form(client, "/orders/1"))
        refused = client.post(
            "/orders/1/pay", data={**form, "amount_cents": str(_total(small_shop, 1))}
        )
        assert refused.status_code == 409
        assert "Refused: order 1 is cancelled: it cannot become paid" in refused.text
        assert _count(small_shop, payments) == 0
        # shipping a pending order is refused too
        refused = client.post("/orders/2/ship", data=_form(client, "/orders/2"))
        assert refused.status_code == 409
        assert "order 2 is pending: it cannot become shipped" in refused.text
        assert _count(small_shop, shipments) == 0
        assert _status(small_shop, 2) == "pending"


def test_a_wrong_amount_is_refused_and_the_form_can_be_sent_again(
    small_shop: Engine, shop_url: URL
) -> None:
    for client in client_for(shop_url, "clerk@example.com"):
        form = _form(client, "/orders/1")
        wrong = client.post("/orders/1/pay", data={**form, "amount_cents": "1"})
        assert wrong.status_code == 409 and "owes" in wrong.text
        assert _count(small_shop, payments) == 0
        right = client.post(
            "/orders/1/pay",
            data={**form, "amount_cents": str(_total(small_shop, 1))},
            follow_redirects=False,
        )
        assert right.headers["location"] == "/orders/1?done=pay"


def test_restock_once_per_form(small_shop: Engine, shop_url: URL) -> None:
    def stock() -> int:
        with small_shop.connect() as conn:
            return int(
                conn.execute(
                    select(inventory.c.quantity_on_hand).where(inventory.c.product_id == 1)
                ).scalar_one()
            )

    before = stock()
    receipts = _count(small_shop, inventory_movements, inventory_movements.c.reason == "receipt")
    for client in client_for(shop_url, "clerk@example.com"):
        form = {**_form(client, "/inventory/1"), "quantity": "7"}
        done = client.post("/inventory/1/restock", data=form)
        assert done.status_code == 200 and "Restocked." in done.text
        assert f'id="on-hand" data-value="{before + 7}"' in done.text
        again = client.post("/inventory/1/restock", data=form)
        assert "already sent" in again.text
        bad = client.post(
            "/inventory/1/restock", data={**_form(client, "/inventory/1"), "quantity": "0"}
        )
        assert bad.status_code == 400 and "positive quantity" in bad.text
    assert stock() == before + 7
    assert (
        _count(small_shop, inventory_movements, inventory_movements.c.reason == "receipt")
        == receipts + 1
    )


def test_analysts_see_no_buttons_and_are_refused(small_shop: Engine, shop_url: URL) -> None:
    for clerk in client_for(shop_url, "clerk@example.com"):
        stolen = _form(clerk, "/orders/1")
    for client in client_for(shop_url, "analyst@example.com"):
        page = client.get("/orders/1")
        assert page.status_code == 200
        assert 'data-action="' not in page.text
        assert "can look at orders but not change them" in page.text
        assert 'data-action="restock"' not in client.get("/inventory/1").text
        token = csrf_of(client.get("/orders").text)
        for path, extra in (
            ("/orders/1/pay", {"amount_cents": str(_total(small_shop, 1))}),
            ("/orders/1/cancel", {}),
            ("/inventory/1/restock", {"quantity": "5"}),
        ):
            refused = client.post(
                path, data={"csrf_token": token, "action_key": stolen["action_key"], **extra}
            )
            assert refused.status_code == 403
            assert "analyst account cannot" in refused.text
    assert _status(small_shop, 1) == "pending"
    assert _count(small_shop, payments) == 0
    assert _count(small_shop, inventory_movements, inventory_movements.c.reason == "receipt") == 2


def test_an_action_without_the_csrf_token_is_refused(small_shop: Engine, shop_url: URL) -> None:
    for client in client_for(shop_url, "clerk@example.com"):
        form = _form(client, "/orders/1")
        for token in ("", "forged"):
            refused = client.post("/orders/1/cancel", data={**form, "csrf_token": token})
            assert refused.status_code == 403
            assert "did not come from this site" in refused.text
    assert _status(small_shop, 1) == "pending"


def test_actions_need_a_session(small_shop: Engine, shop_url: URL) -> None:
    for client in client_for(shop_url, None):
        response = client.post("/orders/1/cancel", data={"csrf_token": "x"}, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
    assert _status(small_shop, 1) == "pending"


def test_bad_form_values_are_a_400_page_and_write_nothing(
    small_shop: Engine, shop_url: URL
) -> None:
    for client in client_for(shop_url, "clerk@example.com"):
        form = _form(client, "/orders/1")
        bad = client.post("/orders/1/pay", data={**form, "amount_cents": "lots"})
        assert bad.status_code == 400 and "bad value for amount_cents" in bad.text
        unknown = client.post("/orders/1/explode", data=form)
        assert unknown.status_code == 400 and "unknown action" in unknown.text
        missing = client.post("/orders/999/cancel", data=_form(client, "/orders/1"))
        assert missing.status_code == 404
    assert _status(small_shop, 1) == "pending"
    assert _count(small_shop, payments) == 0


def test_an_action_that_fails_unexpectedly_gives_its_key_back(small_shop: Engine) -> None:
    # not a refusal: a lost connection or a bug inside the service; its transaction rolled
    # back, so the same form must still be able to do its work
    from shopdb.services.staff import get_staff, list_staff
    from shopdb.web.actions import new_action_key, run_once

    clerk = get_staff(
        small_shop, next(s.staff_id for s in list_staff(small_shop) if s.role == "clerk")
    )
    key = new_action_key()

    def broken() -> None:
        raise RuntimeError("the connection went away")

    with pytest.raises(RuntimeError):
        run_once(small_shop, clerk, key, "pay", broken)
    assert run_once(small_shop, clerk, key, "pay", lambda: "paid") == (True, "paid")
    assert run_once(small_shop, clerk, key, "pay", lambda: "again") == (False, None)
