"""Hostile numbers and text: every id, quantity and key past ``shopdb.limits`` is refused
with one readable line and nothing is written, on every backend."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner
from services_support import T0, Shop, snapshot, stock_of
from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from shopdb.audit import run_checks
from shopdb.cli import cli
from shopdb.db.schema import inventory, products
from shopdb.errors import InvalidInput, OutOfStock
from shopdb.limits import INT64_MAX, MAX_ORDER_LINES, MAX_QUANTITY, MAX_STOCK
from shopdb.services import (
    cancel_order,
    change_price,
    create_category,
    create_product,
    deliver_order,
    get_order,
    pay_order,
    place_order,
    refund_order,
    register_user,
    restock,
    ship_order,
)
from shopdb.services.orders import _place

HUGE = 2**63  # one past the largest 64-bit integer


def _run(db: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args])
    return result.exit_code, result.output


def test_a_restock_of_2_63_minus_1_is_refused_and_the_stock_stays_an_integer(shop: Shop) -> None:
    before = snapshot(shop.engine)

    with pytest.raises(InvalidInput, match="must be at most"):
        restock(shop.engine, shop.lamp, INT64_MAX)

    assert snapshot(shop.engine) == before
    assert [r.name for r in run_checks(shop.engine) if not r.passed] == []


def test_a_restock_past_the_stock_limit_is_refused_after_earlier_ones(shop: Shop) -> None:
    assert restock(shop.engine, shop.lamp, MAX_STOCK - 5) == MAX_STOCK
    before = snapshot(shop.engine)

    with pytest.raises(InvalidInput, match="would exceed the limit"):
        restock(shop.engine, shop.lamp, 1)

    assert snapshot(shop.engine) == before
    assert stock_of(shop.engine, shop.lamp) == MAX_STOCK


_ID_CALLS: dict[str, Callable[[Engine, int], Any]] = {
    "get_order": get_order,
    "pay_order": lambda e, i: pay_order(e, i, 100, "card"),
    "cancel_order": cancel_order,
    "ship_order": ship_order,
    "deliver_order": deliver_order,
    "refund_order": refund_order,
    "restock": lambda e, i: restock(e, i, 1),
    "change_price": lambda e, i: change_price(e, i, 1),
    "place_order user": lambda e, i: place_order(e, i, {1: 1}),
    "place_order product": lambda e, i: place_order(e, 1, {i: 1}),
    "create_product category": lambda e, i: create_product(
        e, category_id=i, sku="X-1", name="X", price_cents=1
    ),
    "create_category parent": lambda e, i: create_category(e, "X", parent_id=i),
}


@pytest.mark.parametrize("call", sorted(_ID_CALLS))
@pytest.mark.parametrize("bad_id", [HUGE, 0])
def test_an_id_outside_64_bits_is_refused_in_one_line(shop: Shop, call: str, bad_id: int) -> None:
    before = snapshot(shop.engine)

    with pytest.raises(InvalidInput, match="id must be between 1 and") as raised:
        _ID_CALLS[call](shop.engine, bad_id)

    assert "\n" not in str(raised.value)
    assert snapshot(shop.engine) == before


@pytest.mark.parametrize("quantity", [MAX_QUANTITY + 1, HUGE, 2**62])
def test_a_quantity_past_the_limit_is_refused_before_the_database_sees_it(
    shop: Shop, quantity: int
) -> None:
    before = snapshot(shop.engine)

    with pytest.raises(InvalidInput, match=f"at most {MAX_QUANTITY:,}"):
        place_order(shop.engine, shop.user, {shop.lamp: quantity})

    assert snapshot(shop.engine) == before


def test_too_many_order_lines_are_refused(shop: Shop) -> None:
    lines = {product_id: 1 for product_id in range(1, MAX_ORDER_LINES + 2)}
    before = snapshot(shop.engine)

    with pytest.raises(InvalidInput, match=f"at most {MAX_ORDER_LINES} items"):
        place_order(shop.engine, shop.user, lines)

    assert snapshot(shop.engine) == before


def test_a_price_past_the_limit_is_refused(shop: Shop) -> None:
    before = snapshot(shop.engine)

    with pytest.raises(InvalidInput, match="at most"):
        change_price(shop.engine, shop.lamp, HUGE)
    with pytest.raises(InvalidInput, match="at most"):
        create_product(shop.engine, category_id=1, sku="BIG-1", name="Big", price_cents=HUGE)

    assert snapshot(shop.engine) == before


def test_an_order_cannot_be_dated_before_its_customer_signed_up(shop: Shop) -> None:
    late = register_user(
        shop.engine, "late@example.com", "Late", "Comer", now=T0.replace(year=2099)
    )
    before = snapshot(shop.engine)

    with pytest.raises(InvalidInput, match="signed up at 2099-01-01"):
        place_order(shop.engine, late, {shop.lamp: 1}, now=T0)
    with pytest.raises(InvalidInput, match="signed up"):
        place_order(shop.engine, late, {shop.lamp: 1})  # now, which is before 2099

    assert snapshot(shop.engine) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tracking", "TRK\n2"),
        ("tracking", "TRK\x1b[31m"),
        ("key", "key\r"),
        ("key", "case-key  "),
        ("key", " lead"),
        ("name", "Ann\tLee"),
        ("sku", "SKU\x00"),
    ],
)
def test_control_characters_and_padded_keys_are_refused(shop: Shop, field: str, value: str) -> None:
    order_id = place_order(shop.engine, shop.user, {shop.lamp: 1}, now=T0)
    if field == "tracking":
        pay_order(shop.engine, order_id, 1000, "card")
    before = snapshot(shop.engine)

    with pytest.raises(InvalidInput, match=r"control characters|begin or end with a space"):
        if field == "tracking":
            ship_order(shop.engine, order_id, tracking_number=value)
        elif field == "key":
            pay_order(shop.engine, order_id, 1000, "card", value)
        elif field == "name":
            register_user(shop.engine, "tab@example.com", value, "X")
        else:
            create_product(shop.engine, category_id=1, sku=value, name="X", price_cents=1)

    assert snapshot(shop.engine) == before


def test_a_key_differing_only_by_trailing_spaces_is_refused_on_every_backend(shop: Shop) -> None:
    first = place_order(shop.engine, shop.user, {shop.lamp: 1}, now=T0)
    second = place_order(shop.engine, shop.user, {shop.mug: 1}, now=T0)
    pay_order(shop.engine, first, 1000, "card", "case-key")
    before = snapshot(shop.engine)

    # MariaDB's PAD SPACE would match 'case-key' here and call it another order's key
    with pytest.raises(InvalidInput, match="begin or end with a space"):
        pay_order(shop.engine, second, 250, "card", "case-key  ")

    assert snapshot(shop.engine) == before


def test_out_of_stock_reports_what_the_locking_read_saw(shop: Shop) -> None:
    if shop.engine.dialect.name == "sqlite":
        pytest.skip("SQLite writers begin IMMEDIATE and serialize: no snapshot can be stale")
    # a transaction whose snapshot predates a concurrent sale: MariaDB's plain read
    # would still report the 5 lamps of that snapshot
    with shop.engine.connect() as conn, conn.begin():
        conn.execute(select(products.c.price_cents)).all()
        with shop.engine.connect() as other, other.begin():
            other.execute(
                update(inventory)
                .where(inventory.c.product_id == shop.lamp)
                .values(quantity_on_hand=3)
            )
        with pytest.raises(OutOfStock) as raised:
            _place(conn, shop.user, [(shop.lamp, 4)], T0)
    assert raised.value.available == 3
    assert "4 requested, 3 available" in str(raised.value)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["product", "restock", "LAMP-1", str(INT64_MAX)], "must be at most"),
        (["product", "restock", "LAMP-1", str(HUGE)], "must be at most"),
        (["product", "restock", "LAMP-1", "-5"], "needs a positive quantity, got -5"),
        (["product", "restock", str(HUGE), "1"], "does not exist"),
        (["order", "show", str(HUGE)], "id must be between"),
        (["order", "pay", str(HUGE)], "id must be between"),
        (["order", "pay", "-1"], "id must be between"),
        (["order", "cancel", str(HUGE)], "id must be between"),
        (["order", "ship", str(HUGE)], "id must be between"),
        (["order", "deliver", str(HUGE)], "id must be between"),
        (["order", "refund", str(HUGE)], "id must be between"),
        (["order", "place", "--user", str(HUGE), "--item", "LAMP-1:1"], "id must be between"),
        (["order", "place", "--user", "1", "--item", f"LAMP-1:{HUGE}"], "at most"),
        (["order", "place", "--user", "1", "--item", f"LAMP-1:{2**40}"], "at most"),
        (["query", "best_selling_products", "--category", str(HUGE)], "category"),
    ],
)
def test_hostile_numbers_on_the_command_line_are_one_line(
    shop: Shop, db_url_text: str, args: list[str], message: str
) -> None:
    before = snapshot(shop.engine)

    code, out = _run(db_url_text, *args)

    assert code == 1, out
    assert out.startswith("Error: ") and message in out and out.count("\n") == 1, out
    assert "Out of range" not in out and "OverflowError" not in out
    assert snapshot(shop.engine) == before
