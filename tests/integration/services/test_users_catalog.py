"""Users and the catalogue, checked through the stored rows."""

from __future__ import annotations

import pytest
from services_support import T0, Shop, snapshot, stock_of
from sqlalchemy import select

from shopdb.db.schema import inventory_movements, products, users
from shopdb.errors import Duplicate, InvalidInput, NotFound
from shopdb.services import change_price, create_product, register_user, restock, update_user


def test_register_stores_a_normalized_email(shop: Shop) -> None:
    user_id = register_user(shop.engine, "  Cy.Doe+x@Example.ORG ", " Cy ", "Doe", now=T0)
    with shop.engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.user_id == user_id)).one()
    assert (row.email, row.first_name, row.created_at) == ("cy.doe+x@example.org", "Cy", T0)


def test_bad_or_duplicate_email_writes_nothing(shop: Shop) -> None:
    before = snapshot(shop.engine)
    with pytest.raises(Duplicate):
        register_user(shop.engine, "ANN@example.com", "Ann", "Other")
    for bad in ("not-an-email", "a@b", "two@@example.com", "sp ace@example.com"):
        with pytest.raises(InvalidInput, match="invalid email"):
            register_user(shop.engine, bad, "Ann", "Other")
    assert snapshot(shop.engine) == before


def test_update_user_changes_only_given_fields(shop: Shop) -> None:
    update_user(shop.engine, shop.user, city="Lyon", email="Ann.Lee@Example.com")
    with shop.engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.user_id == shop.user)).one()
    assert (row.email, row.city, row.first_name) == ("ann.lee@example.com", "Lyon", "Ann")
    before = snapshot(shop.engine)
    with pytest.raises(Duplicate):
        update_user(shop.engine, shop.user, email="bob@example.com")
    with pytest.raises(NotFound):
        update_user(shop.engine, 999, city="Paris")
    assert snapshot(shop.engine) == before


def test_restock_adds_stock_with_a_receipt(shop: Shop) -> None:
    assert restock(shop.engine, shop.mug, 10, now=T0) == 12
    with shop.engine.connect() as conn:
        receipts = conn.execute(
            select(inventory_movements.c.quantity_delta, inventory_movements.c.order_id)
            .where(inventory_movements.c.product_id == shop.mug)
            .order_by(inventory_movements.c.movement_id)
        ).all()
    assert [tuple(r) for r in receipts] == [(2, None), (10, None)]
    assert stock_of(shop.engine, shop.mug) == 12


def test_catalogue_refusals_write_nothing(shop: Shop) -> None:
    before = snapshot(shop.engine)
    with pytest.raises(InvalidInput):
        restock(shop.engine, shop.mug, 0)
    with pytest.raises(NotFound):
        restock(shop.engine, 999, 5)
    with pytest.raises(Duplicate):
        create_product(shop.engine, category_id=1, sku="MUG-1", name="Mug", price_cents=1)
    with pytest.raises(InvalidInput):
        change_price(shop.engine, shop.mug, -1)
    assert snapshot(shop.engine) == before


def test_change_price_keeps_placed_orders_at_their_price(shop: Shop) -> None:
    change_price(shop.engine, shop.lamp, 1500)
    with shop.engine.connect() as conn:
        price = conn.execute(
            select(products.c.price_cents).where(products.c.product_id == shop.lamp)
        ).scalar_one()
    assert price == 1500
