"""Constraint-violation translation beyond one-row inserts: batches, updates, other
errors, and the CLI's one-line message."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner
from schema_rows import MISSING_ID, insert_with_parents, snapshot, table_named, valid_row
from sqlalchemy import insert, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from shopdb.cli.base import ShopContext, ShopGroup, pass_shop
from shopdb.config import load_settings
from shopdb.db.schema import order_items, orders, users
from shopdb.db.violations import violations_as_errors
from shopdb.errors import ConstraintViolation


def test_context_manager_raises_the_named_violation(conn: Connection) -> None:
    conn.execute(insert(users).values(**valid_row("users", 1)))
    before = snapshot(conn, users)

    with pytest.raises(ConstraintViolation) as raised, violations_as_errors(conn):  # noqa: SIM117
        with conn.begin_nested():
            conn.execute(insert(users).values(**valid_row("users", 2, email="user1@example.com")))

    assert raised.value.constraint == "uq_users_email"
    assert str(raised.value) == "users.email must be unique (violates uq_users_email)"
    assert isinstance(raised.value.__cause__, DBAPIError)
    assert snapshot(conn, users) == before


def test_batch_insert_names_the_foreign_key_of_the_bad_row(conn: Connection) -> None:
    insert_with_parents(conn, order_items, valid_row("order_items", 1))
    insert_with_parents(conn, order_items, valid_row("order_items", 2))
    conn.execute(text("DELETE FROM order_items"))
    batch = [
        valid_row("order_items", 1),
        valid_row("order_items", 2),
        valid_row("order_items", 3, product_id=MISSING_ID),
    ]

    with pytest.raises(ConstraintViolation) as raised, violations_as_errors(conn):  # noqa: SIM117
        with conn.begin_nested():
            conn.execute(insert(order_items), batch)

    assert raised.value.constraint == "fk_order_items_product_id"
    assert snapshot(conn, order_items) == []


def test_update_to_a_missing_parent_names_the_foreign_key(conn: Connection) -> None:
    insert_with_parents(conn, orders, valid_row("orders", 1))
    before = snapshot(conn, orders)

    with pytest.raises(ConstraintViolation) as raised, violations_as_errors(conn):  # noqa: SIM117
        with conn.begin_nested():
            conn.execute(
                update(orders)
                .where(orders.c.order_id == 1)
                .values(status="paid", user_id=MISSING_ID)
            )

    assert raised.value.constraint == "fk_orders_user_id"
    assert snapshot(conn, orders) == before


def test_errors_that_are_not_violations_pass_through(conn: Connection) -> None:
    with pytest.raises(DBAPIError) as raised, violations_as_errors(conn):  # noqa: SIM117
        with conn.begin_nested():
            conn.execute(text("SELECT no_such_column FROM users"))

    assert not isinstance(raised.value, ConstraintViolation)


def test_cli_prints_a_violation_as_one_line(db_url_text: str, engine: Engine) -> None:
    @click.group(cls=ShopGroup)
    @click.pass_context
    def group(ctx: click.Context) -> None:
        ctx.obj = ShopContext(load_settings({}, db_url_text))
        ctx.call_on_close(ctx.obj.close)

    @group.command()
    @pass_shop
    def add(shop: ShopContext) -> None:
        with shop.engine().begin() as conn:
            conn.execute(insert(table_named("orders")).values(**valid_row("orders", 1)))

    result = CliRunner().invoke(group, ["add"])

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: orders.user_id must refer to an existing users row (violates fk_orders_user_id)\n"
    )
    with engine.connect() as conn:
        assert snapshot(conn, orders) == []


def test_a_column_left_out_is_reported_like_an_explicit_null(conn: Connection) -> None:
    row = {k: v for k, v in valid_row("users", 1).items() if k != "email"}

    with pytest.raises(ConstraintViolation) as raised, violations_as_errors(conn):  # noqa: SIM117
        with conn.begin_nested():
            conn.execute(insert(users).values(**row))

    assert raised.value.constraint == "users.email"
    assert str(raised.value) == "users.email must not be null"
    assert snapshot(conn, users) == []


def test_re_keying_a_referenced_parent_names_the_foreign_key(conn: Connection) -> None:
    insert_with_parents(conn, orders, valid_row("orders", 1))
    before = snapshot(conn, users)

    with pytest.raises(ConstraintViolation) as raised, violations_as_errors(conn):  # noqa: SIM117
        with conn.begin_nested():
            conn.execute(update(users).where(users.c.user_id == 1).values(user_id=5))

    assert raised.value.constraint == "fk_orders_user_id"
    assert "cannot be deleted or re-keyed" in str(raised.value)
    assert snapshot(conn, users) == before
