"""Parsing of command-line items and workload mixes, and email normalization (no database)."""

from __future__ import annotations

import pytest

from shopdb.cli.order_cmds import parse_item
from shopdb.errors import InvalidInput
from shopdb.money import money
from shopdb.services.users import normalize_email
from shopdb.workload.clients import parse_mix


def test_parse_item_accepts_ids_and_skus_with_colons() -> None:
    assert parse_item("12:3") == ("12", 3)
    assert parse_item("A:B-1:2") == ("A:B-1", 2)


@pytest.mark.parametrize("text", ["12", ":3", "12:", "12:x", "12:0", "12:-1", "12:1.5"])
def test_parse_item_refuses_malformed_items(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_item(text)


def test_parse_mix_fills_missing_types_with_zero() -> None:
    assert parse_mix("place=3,pay=1") == {
        "place": 3,
        "pay": 1,
        "cancel": 0,
        "refund": 0,
        "restock": 0,
        "lookup": 0,
    }


@pytest.mark.parametrize("text", ["place", "ship=2", "place=-1", "place=0", "place=x"])
def test_parse_mix_refuses_bad_mixes(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_mix(text)


def test_money_renders_cents() -> None:
    assert [money(c) for c in (0, 5, 1999, -250, 123456)] == [
        "0.00",
        "0.05",
        "19.99",
        "-2.50",
        "1,234.56",
    ]
    assert money(-123456, grouped=False) == "-1234.56"
    assert money(None) == "-"


def test_emails_are_normalized_or_refused() -> None:
    assert normalize_email("  Ann.Lee+x@Example.COM ") == "ann.lee+x@example.com"
    for bad in ("ann", "ann@", "@example.com", "ann@example", "a b@example.com", "ann@-x.com"):
        with pytest.raises(InvalidInput):
            normalize_email(bad)
