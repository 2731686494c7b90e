"""An idempotency key replays only the request it was first used for, and a declined
payment is a failure the command line reports, on every backend."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from services_support import T0, Shop, snapshot

from shopdb.cli import cli
from shopdb.errors import Duplicate
from shopdb.services import pay_order, place_order


def test_a_declined_key_cannot_be_reused_for_a_real_payment(shop: Shop) -> None:
    order_id = place_order(shop.engine, shop.user, {shop.lamp: 1}, now=T0)
    declined = pay_order(shop.engine, order_id, 1000, "card", "k-1", approved=False)
    assert declined.status == "failed"
    before = snapshot(shop.engine)

    with pytest.raises(Duplicate, match="'k-1' was used for a failed card payment of 1000"):
        pay_order(shop.engine, order_id, 1000, "card", "k-1")

    assert snapshot(shop.engine) == before


@pytest.mark.parametrize(("amount", "method"), [(999, "card"), (1000, "paypal")])
def test_a_key_reused_with_other_parameters_is_refused(
    shop: Shop, amount: int, method: str
) -> None:
    order_id = place_order(shop.engine, shop.user, {shop.lamp: 1}, now=T0)
    first = pay_order(shop.engine, order_id, 1000, "card", "k-2")
    before = snapshot(shop.engine)

    with pytest.raises(Duplicate, match="use a new key"):
        pay_order(shop.engine, order_id, amount, method, "k-2")

    assert snapshot(shop.engine) == before
    # the very same request is still replayed, writing nothing
    assert pay_order(shop.engine, order_id, 1000, "card", "k-2") == first
    assert pay_order(shop.engine, order_id, None, "card", "k-2") == first
    assert snapshot(shop.engine) == before


def test_a_declined_payment_exits_non_zero(shop: Shop, db_url_text: str) -> None:
    order_id = place_order(shop.engine, shop.user, {shop.lamp: 1}, now=T0)

    result = CliRunner().invoke(
        cli, ["--db", db_url_text, "order", "pay", str(order_id), "--declined", "--key", "d"]
    )

    assert result.exit_code == 1
    assert result.output.startswith("Error: payment 1 of order 1: 10.00 by card, failed")
    assert result.output.count("\n") == 1
    replay = CliRunner().invoke(
        cli, ["--db", db_url_text, "order", "pay", str(order_id), "--declined", "--key", "d"]
    )
    assert replay.exit_code == 1  # the replayed answer is still a failure
