"""The public contract: a row giving only the contract's columns is accepted; timestamps
are aware UTC on the way in and out, server defaults included; every foreign key is indexed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from schema_rows import T0, ensure_parents, snapshot, table_named, valid_row
from sqlalchemy import ForeignKeyConstraint, UniqueConstraint, insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import StatementError

from shopdb.db.schema import metadata

# The contract table, written out here rather than read from the schema.
CONTRACT: dict[str, tuple[str, ...]] = {
    "users": ("user_id", "email", "first_name", "last_name", "created_at"),
    "categories": ("category_id", "name", "parent_id"),
    "products": ("product_id", "category_id", "sku", "name", "price_cents", "created_at"),
    "inventory": ("product_id", "quantity_on_hand", "reorder_level", "updated_at"),
    "orders": ("order_id", "user_id", "status", "created_at", "total_cents"),
    "order_items": ("order_item_id", "order_id", "product_id", "quantity", "unit_price_cents"),
    "payments": ("payment_id", "order_id", "amount_cents", "method", "status", "created_at"),
}
# contract rows that exercise the edges: a refunded payment without a refund time
_CONTRACT_CHANGES: dict[str, dict[str, Any]] = {"payments": {"status": "refunded"}}


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_contract_columns_alone_make_a_valid_row(conn: Connection, table: str) -> None:
    full = valid_row(table, 1, **_CONTRACT_CHANGES.get(table, {}))
    row = {column: full[column] for column in CONTRACT[table]}
    ensure_parents(conn, table_named(table), row)

    conn.execute(insert(table_named(table)).values(**row))

    stored = conn.execute(select(table_named(table))).mappings().one()
    assert {column: stored[column] for column in CONTRACT[table]} == row


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_contract_columns_exist_with_their_names(table: str) -> None:
    assert set(CONTRACT[table]) <= set(table_named(table).columns.keys())


def test_every_foreign_key_is_the_leading_part_of_an_index() -> None:
    unindexed = []
    for table in metadata.tables.values():
        leading = [[c.name for c in ix.columns] for ix in table.indexes]
        leading += [
            [c.name for c in uc.columns]
            for uc in table.constraints
            if not isinstance(uc, ForeignKeyConstraint) and hasattr(uc, "columns")
        ]
        for fk in table.foreign_key_constraints:
            keys = list(fk.column_keys)
            if not any(cols[: len(keys)] == keys for cols in leading):
                unindexed.append(fk.name)
    assert unindexed == []


def test_docs_explain_every_table_foreign_key_and_index() -> None:
    docs = (Path(__file__).resolve().parents[3] / "docs" / "schema.md").read_text()
    names = [f"**{table}**" for table in metadata.tables]
    for table in metadata.tables.values():
        names += [f"`{fk.name}`" for fk in table.foreign_key_constraints]
        names += [f"`{ix.name}`" for ix in table.indexes]
        names += [f"`{uq.name}`" for uq in table.constraints if isinstance(uq, UniqueConstraint)]
    assert [name for name in names if name not in docs] == []


def test_constraint_and_index_names_are_unique_and_fit_every_backend() -> None:
    names = [str(c.name) for t in metadata.tables.values() for c in t.constraints]
    names += [str(ix.name) for t in metadata.tables.values() for ix in t.indexes]
    assert len(names) == len(set(names))
    assert max(len(name) for name in names) <= 63  # PostgreSQL's limit; MariaDB's is 64


@pytest.mark.parametrize(
    "moment",
    [
        T0,
        datetime(2024, 3, 31, 1, 59, 59, 999_999, tzinfo=UTC),
        datetime(2024, 3, 1, 15, 0, 0, 123_456, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        datetime(2023, 12, 31, 20, 0, tzinfo=timezone(timedelta(hours=-8))),
    ],
    ids=["utc", "micro", "plus0530", "minus0800"],
)
def test_aware_timestamps_round_trip_as_the_same_instant_in_utc(
    conn: Connection, moment: datetime
) -> None:
    conn.execute(insert(table_named("users")).values(**valid_row("users", 1, created_at=moment)))

    stored = conn.execute(select(table_named("users").c.created_at)).scalar_one()

    assert stored == moment
    assert stored.utcoffset() == timedelta(0)
    assert stored.replace(tzinfo=None) == moment.astimezone(UTC).replace(tzinfo=None)


def test_naive_timestamp_is_refused_and_nothing_is_written(conn: Connection) -> None:
    users = table_named("users")
    with pytest.raises(StatementError, match="naive datetime"):
        conn.execute(insert(users).values(**valid_row("users", 1, created_at=datetime(2024, 1, 1))))

    assert snapshot(conn, users) == []


def _set_session_zone(conn: Connection) -> None:
    # a client in another time zone must still get UTC defaults
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET TIME ZONE 'Asia/Kolkata'"))
    elif conn.dialect.name in ("mysql", "mariadb"):
        conn.execute(text("SET time_zone = '+05:30'"))


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("users", "created_at"),
        ("inventory", "updated_at"),
        ("orders", "created_at"),
        ("shipments", "shipped_at"),
    ],
)
def test_server_default_timestamps_are_utc_whatever_the_session_zone(
    conn: Connection, table: str, column: str
) -> None:
    _set_session_zone(conn)
    row = {k: v for k, v in valid_row(table, 1).items() if k != column}
    if table == "shipments":
        row["delivered_at"] = None
    ensure_parents(conn, table_named(table), row)
    before = datetime.now(UTC)
    conn.execute(insert(table_named(table)).values(**row))
    after = datetime.now(UTC)

    stored = conn.execute(select(table_named(table).c[column])).scalar_one()

    assert stored.tzinfo is not None and stored.utcoffset() == timedelta(0)
    # PostgreSQL's now() is the transaction's start, which may precede `before`
    assert before - timedelta(minutes=5) <= stored <= after + timedelta(seconds=1)


def test_server_default_and_bound_timestamps_compare_in_time_order(conn: Connection) -> None:
    # SQLite stores text: a default must have the form bound values have, or a default
    # of 12:00:00 would sort before a bound 12:00:00.000000 of the same second
    users = table_named("users")
    defaulted = {k: v for k, v in valid_row("users", 1).items() if k != "created_at"}
    conn.execute(insert(users).values(**defaulted))
    moment = conn.execute(select(users.c.created_at)).scalar_one()
    conn.execute(insert(users).values(**valid_row("users", 2, created_at=moment)))

    same = select(users.c.user_id).where(users.c.created_at >= moment).order_by(users.c.user_id)
    assert conn.execute(same).scalars().all() == [1, 2]
    later = select(users.c.user_id).where(users.c.created_at > moment)
    assert conn.execute(later).scalars().all() == []
