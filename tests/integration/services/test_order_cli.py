"""``shopdb order`` and ``shopdb product restock`` through click, on every backend."""

from __future__ import annotations

from click.testing import CliRunner
from services_support import Shop, snapshot, stock_of
from sqlalchemy import select

from shopdb.cli import cli
from shopdb.db.schema import orders, payments


def _run(db: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args])
    return result.exit_code, result.output


def test_order_lifecycle_from_the_command_line(shop: Shop, db_url_text: str) -> None:
    code, out = _run(
        db_url_text,
        "order",
        "place",
        "--user",
        str(shop.user),
        "--item",
        "LAMP-1:2",
        "--item",
        f"{shop.mug}:1",
    )
    assert (code, out) == (0, "placed order 1: 2 item(s), total 22.50 (pending)\n")
    assert _run(db_url_text, "order", "pay", "1", "--key", "k")[0] == 0
    assert _run(db_url_text, "order", "ship", "1", "--tracking", "TRK1")[0] == 0
    code, out = _run(db_url_text, "order", "show", "1")
    assert code == 0
    assert "LAMP-1" in out and "TRK1" in out and "paid" in out and "shipped" in out
    assert _run(db_url_text, "product", "restock", "MUG-1", "4") == (
        0,
        f"product {shop.mug}: +4, 5 on hand\n",
    )
    with shop.engine.connect() as conn:
        assert conn.execute(select(orders.c.status)).scalar_one() == "shipped"
        assert conn.execute(select(payments.c.idempotency_key)).scalar_one() == "k"


def test_bad_input_is_one_line_and_writes_nothing(shop: Shop, db_url_text: str) -> None:
    before = snapshot(shop.engine)
    user = str(shop.user)
    cases = [
        (["order", "place", "--user", user, "--item", "LAMP-1"], "malformed item"),
        (["order", "place", "--user", user, "--item", "LAMP-1:x"], "malformed quantity"),
        (["order", "place", "--user", user, "--item", "LAMP-1:0"], "must be positive"),
        (["order", "place", "--user", user, "--item", "NOPE:1"], "'NOPE' does not exist"),
        (["order", "place", "--user", user, "--item", "LAMP-1:9"], "out of stock"),
        (["order", "place", "--user", "99", "--item", "LAMP-1:1"], "user 99 does not exist"),
        (["order", "cancel", "7"], "order 7 does not exist"),
        (["order", "show", "7"], "order 7 does not exist"),
        (["product", "restock", "LAMP-1", "0"], "positive quantity"),
    ]
    for args, message in cases:
        code, out = _run(db_url_text, *args)
        assert code == 1, args
        assert out.startswith("Error: ") and message in out and out.count("\n") == 1, out
    assert snapshot(shop.engine) == before
    assert stock_of(shop.engine, shop.lamp) == 5
