"""Equal data gives equal checksums on every backend; one changed value changes them."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from audit_shop import DAY, HOUR, T0, build_shop
from click.testing import CliRunner
from sqlalchemy import update

from shopdb.checksum import table_checksum, table_checksums
from shopdb.cli import cli
from shopdb.config import parse_database_url
from shopdb.db import schema as s
from shopdb.db.admin import init_schema
from shopdb.db.engine import make_engine


def _sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture(scope="module")
def sqlite_sums(tmp_path_factory):
    """The shop's checksums on a separate SQLite database: the reference to compare to."""
    path = tmp_path_factory.mktemp("reference") / "shop.sqlite3"
    engine = make_engine(parse_database_url(f"sqlite:///{path}"))
    try:
        init_schema(engine)
        build_shop(engine)
        return table_checksums(engine)
    finally:
        engine.dispose()


def test_checksums_equal_the_reference_on_every_backend(shop_engine, sqlite_sums):
    sums = table_checksums(shop_engine)

    assert sums == sqlite_sums
    assert [name for name in sums] == [t.name for t in s.DATA_TABLES]
    assert {name: c.row_count for name, c in sums.items()} == {
        "users": 3,
        "categories": 3,
        "products": 4,
        "inventory": 4,
        "orders": 7,
        "order_items": 9,
        "payments": 7,
        "order_status_history": 20,
        "shipments": 3,
        "inventory_movements": 15,
    }


def test_digest_is_the_documented_canonical_text(shop_engine):
    sums = table_checksums(shop_engine)

    # parent_key is computed, so left out; NULL is \N
    categories = "category_id\tname\tparent_id\n1\tElectronics\t\\N\n2\tPhones\t1\n3\tBooks\t\\N\n"
    users = (
        "user_id\temail\tfirst_name\tlast_name\tcreated_at\tcountry_code\tcity\n"
        "1\talice@example.com\tAlice\tMartin\t2024-01-01T10:00:00.000000+00:00\tFR\tParis\n"
        "2\tbob@example.com\tBob\tO'Brien\t2024-01-01T11:00:00.000000+00:00\tIE\t"
        'Cork, "rebel" county\n'
        "3\tzoe@example.com\tZoë 🙂\tBack\\\\slash\t2024-01-01T12:00:00.000000+00:00\t\\N\t\\N\n"
    )
    assert sums["categories"].digest == _sha(categories)
    assert sums["users"].digest == _sha(users)


@pytest.mark.parametrize(
    ("table", "values"),
    [
        (s.products, {"name": "Novel\nin two lines "}),
        (s.products, {"brand": None}),
        (s.orders, {"updated_at": T0 + 2 * DAY + HOUR + timedelta(microseconds=1)}),
        (s.inventory, {"reorder_level": 6}),
    ],
)
def test_one_changed_value_changes_only_its_table_digest(shop_engine, table, values):
    key = next(iter(table.primary_key.columns))
    with shop_engine.connect() as conn:
        before = {t.name: table_checksum(conn, t) for t in s.DATA_TABLES}
        conn.execute(update(table).where(key == 2).values(**values))
        after = {t.name: table_checksum(conn, t) for t in s.DATA_TABLES}
        conn.rollback()

    changed = {name for name in before if before[name] != after[name]}
    assert changed == {table.name}
    assert after[table.name].row_count == before[table.name].row_count


def test_checksum_cli_prints_every_table(shop_engine, sqlite_sums):
    url = shop_engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, ["--db", url, "checksum", "--format", "json"])
    table = CliRunner().invoke(cli, ["--db", url, "checksum"])

    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["tables"]["orders"] == {"row_count": 7, "digest": sqlite_sums["orders"].digest}
    assert len(data["combined_digest"]) == 64
    assert table.exit_code == 0
    lines = [line.split() for line in table.output.splitlines()]
    assert ["orders", "7", sqlite_sums["orders"].digest] in lines
    assert lines[-1][:2] == ["(all)", "75"]
