"""Rules the CLI used to hold, now in the services and inside their one transaction."""

from __future__ import annotations

import pytest
from services_support import T0, Shop, assert_audit_clean, snapshot, stock_of
from sqlalchemy import event

from shopdb.errors import InvalidInput, NotFound, PaymentMismatch
from shopdb.services import checkout, get_order, pay_order, place_order, restock_product


def _count_transactions(engine):
    began: list[int] = []
    event.listen(engine, "begin", lambda _conn: began.append(1))
    return began


def test_checkout_by_id_and_sku_merges_a_product_named_twice_in_one_transaction(
    shop: Shop,
) -> None:
    began = _count_transactions(shop.engine)

    view = checkout(
        shop.engine, shop.user, [("LAMP-1", 1), (str(shop.mug), 1), (shop.lamp, 2)], now=T0
    )

    assert len(began) == 1
    assert [(i.product_id, i.quantity) for i in view.items] == [(shop.lamp, 3), (shop.mug, 1)]
    assert (view.status, view.total_cents) == ("pending", 3250)
    assert view == get_order(shop.engine, view.order_id)
    assert (stock_of(shop.engine, shop.lamp), stock_of(shop.engine, shop.mug)) == (2, 1)
    assert_audit_clean(shop.engine)


def test_place_order_takes_a_sku_key(shop: Shop) -> None:
    order_id = place_order(shop.engine, shop.user, {"MUG-1": 2})

    assert [(i.product_id, i.quantity) for i in get_order(shop.engine, order_id).items] == [
        (shop.mug, 2)
    ]


def test_an_unknown_sku_writes_nothing(shop: Shop) -> None:
    before = snapshot(shop.engine)

    with pytest.raises(NotFound, match="product 'NOPE' does not exist"):
        checkout(shop.engine, shop.user, [("LAMP-1", 1), ("NOPE", 1)])

    assert snapshot(shop.engine) == before


def test_paying_without_an_amount_pays_the_total(shop: Shop) -> None:
    order_id = place_order(shop.engine, shop.user, {shop.lamp: 2, shop.mug: 1})

    payment = pay_order(shop.engine, order_id, None, "card")

    assert (payment.amount_cents, payment.status) == (2250, "completed")
    assert get_order(shop.engine, order_id).status == "paid"


def test_a_wrong_amount_is_still_refused(shop: Shop) -> None:
    order_id = place_order(shop.engine, shop.user, {shop.lamp: 1})
    before = snapshot(shop.engine)

    with pytest.raises(PaymentMismatch):
        pay_order(shop.engine, order_id, 999, "card")

    assert snapshot(shop.engine) == before


def test_restock_by_sku_says_which_product(shop: Shop) -> None:
    done = restock_product(shop.engine, "MUG-1", 3)

    assert (done.product_id, done.quantity_on_hand) == (shop.mug, 5)
    assert stock_of(shop.engine, shop.mug) == 5


def test_a_restock_of_nothing_is_refused_by_the_service(shop: Shop) -> None:
    before = snapshot(shop.engine)

    with pytest.raises(InvalidInput, match="a restock needs a positive quantity, got 0"):
        restock_product(shop.engine, "MUG-1", 0)

    assert snapshot(shop.engine) == before
