"""Every named constraint refuses a bad row, on every backend, with an error naming it.

The lists of constraints come from the schema's MetaData, so a new constraint without a
bad row here fails ``test_every_check_has_a_bad_row`` / ``test_every_foreign_key_has_a_rule``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from schema_rows import (
    MISSING_ID,
    T0,
    ensure_parents,
    insert_with_parents,
    snapshot,
    table_named,
    valid_row,
)
from sqlalchemy import (
    CheckConstraint,
    Computed,
    ForeignKeyConstraint,
    Integer,
    PrimaryKeyConstraint,
    UniqueConstraint,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from shopdb.db.schema import DATA_TABLES, generation_runs, metadata
from shopdb.db.violations import translate
from shopdb.limits import MAX_PRICE_CENTS, MAX_QUANTITY, MAX_STOCK, MAX_TOTAL_CENTS

# One change per CHECK that breaks that check and nothing else.
CHECK_BAD_VALUES: dict[str, dict[str, Any]] = {
    "ck_users_email_format": {"email": "nobody"},
    "ck_users_country_code": {"country_code": "G"},
    "ck_categories_name_not_empty": {"name": ""},
    "ck_products_price_cents_nonnegative": {"price_cents": -1},
    "ck_products_sku_not_empty": {"sku": ""},
    "ck_inventory_quantity_on_hand_nonnegative": {"quantity_on_hand": -1},
    "ck_inventory_reorder_level_nonnegative": {"reorder_level": -1},
    "ck_orders_status": {"status": "lost"},
    "ck_orders_total_cents_nonnegative": {"total_cents": -1},
    "ck_orders_ship_country_code": {"ship_country_code": "G"},
    "ck_order_items_quantity_positive": {"quantity": 0},
    "ck_order_items_unit_price_cents_nonnegative": {"unit_price_cents": -1},
    "ck_payments_amount_cents_positive": {"amount_cents": 0},
    "ck_payments_method": {"method": "cash"},
    "ck_payments_status": {"status": "pending"},
    "ck_payments_refunded_at_only_if_refunded": {"refunded_at": T0},
    "ck_order_status_history_from_status": {"from_status": "lost"},
    "ck_order_status_history_to_status": {"to_status": "lost"},
    "ck_shipments_delivered_after_shipped": {"delivered_at": T0 - timedelta(seconds=1)},
    "ck_inventory_movements_reason": {"reason": "theft"},
    "ck_inventory_movements_quantity_delta_nonzero": {"reason": "adjustment", "quantity_delta": 0},
    "ck_inventory_movements_reason_rules": {"reason": "sale", "quantity_delta": 5},
    "ck_generation_runs_status": {"status": "paused"},
    "ck_api_keys_role": {"role": "root"},
    "ck_idempotency_keys_status_code_success": {"status_code": 500},
    "ck_generation_runs_finished_at_iff_not_running": {"status": "running"},
    "ck_customer_sales_order_count_nonnegative": {"order_count": -1},
    "ck_customer_sales_first_order_iff_orders": {"order_count": 0},
    "ck_customer_days_prev_day_before_day": {"prev_day_index": 19_783},
    "ck_product_pairs_lower_product_first": {"product_b_id": 1},
    "ck_customer_cohorts_cohort_not_after_month": {"cohort_index": 651},
    "ck_customer_recency_frequency_order_count_positive": {"order_count": 0},
    "ck_customer_country_days_prev_day_before_day": {"prev_day_index": 19_783},
    "ck_customer_first_two_days_first_day_not_after_second": {"first_day_index": 19_784},
    # the bounds of shopdb.limits: one past each
    "ck_products_price_cents_max": {"price_cents": MAX_PRICE_CENTS + 1},
    "ck_inventory_quantity_on_hand_max": {"quantity_on_hand": MAX_STOCK + 1},
    "ck_inventory_reorder_level_max": {"reorder_level": MAX_STOCK + 1},
    "ck_orders_total_cents_max": {"total_cents": MAX_TOTAL_CENTS + 1},
    "ck_order_items_quantity_max": {"quantity": MAX_QUANTITY + 1},
    "ck_order_items_unit_price_cents_max": {"unit_price_cents": MAX_PRICE_CENTS + 1},
    "ck_payments_amount_cents_max": {"amount_cents": MAX_TOTAL_CENTS + 1},
    "ck_inventory_movements_quantity_delta_bounded": {
        "reason": "adjustment",
        "quantity_delta": -MAX_STOCK - 1,
    },
    # a trailing space, which MariaDB's PAD SPACE collation would ignore in comparisons
    "ck_users_email_no_trailing_space": {"email": "pad@example.com "},
    "ck_products_sku_no_trailing_space": {"sku": "SKU-PAD "},
    "ck_payments_idempotency_key_no_trailing_space": {"idempotency_key": "case-key  "},
    "ck_shipments_tracking_number_no_trailing_space": {"tracking_number": "TRACK "},
    "ck_staff_accounts_email_format": {"email": "nobody"},
    "ck_staff_accounts_role": {"role": "owner"},
    # a key is an API client's or a form's, never both
    "ck_idempotency_keys_one_owner": {"api_key_id": 1, "staff_id": 1},
}
# SQLite only (typeof CHECKs): a REAL where an integer belongs, as SQLite's overflowing
# arithmetic would store one; a BIGINT on the servers refuses it by itself
CHECK_BAD_VALUES |= {
    str(c.name): {str(c.name).removeprefix(f"ck_{t.name}_").removesuffix("_integer"): 2.5}
    for t in metadata.tables.values()
    for c in t.constraints
    if isinstance(c, CheckConstraint) and str(c.name).endswith("_integer")
}
# inside 200..299, so only the integer rule is broken
CHECK_BAD_VALUES["ck_idempotency_keys_status_code_integer"] = {"status_code": 250.5}

# The deliberate ON DELETE rule of every foreign key (docs/schema.md says why).
ON_DELETE = {
    "fk_categories_parent_id": "RESTRICT",
    "fk_products_category_id": "RESTRICT",
    "fk_inventory_product_id": "CASCADE",
    "fk_orders_user_id": "RESTRICT",
    "fk_order_items_order_id": "CASCADE",
    "fk_order_items_product_id": "RESTRICT",
    "fk_payments_order_id": "RESTRICT",
    "fk_order_status_history_order_id": "CASCADE",
    "fk_shipments_order_id": "CASCADE",
    "fk_inventory_movements_product_id": "CASCADE",
    "fk_inventory_movements_order_id": "RESTRICT",
    "fk_idempotency_keys_api_key_id": "CASCADE",
    "fk_idempotency_keys_staff_id": "CASCADE",
}
# a child row that refers to an order must be a movement that may do so
_CHILD_CHANGES = {
    "fk_inventory_movements_order_id": {"reason": "sale", "quantity_delta": -1},
    "fk_idempotency_keys_staff_id": {"api_key_id": None},
}


def _constraints(kind: type) -> list[tuple[str, str]]:
    return sorted(
        (table.name, str(c.name))
        for table in metadata.tables.values()
        for c in table.constraints
        if isinstance(c, kind)
    )


def _constraint(table: str, name: str) -> Any:
    return next(c for c in table_named(table).constraints if c.name == name)


def _refused(conn: Connection, table: str, row: dict[str, Any]) -> str | None:
    """Insert ``row`` and expect a refusal; return the constraint the error names."""
    with pytest.raises(DBAPIError) as raised, conn.begin_nested():
        conn.execute(insert(table_named(table)).values(**row))
    violation = translate(raised.value, conn)
    assert violation is not None, raised.value
    assert "\n" not in str(violation)
    return violation.constraint


def test_every_check_has_a_bad_row() -> None:
    assert {name for _, name in _constraints(CheckConstraint)} == set(CHECK_BAD_VALUES)


def test_every_foreign_key_has_a_rule() -> None:
    declared = {
        name: (_constraint(table, name).ondelete or "NO ACTION").upper()
        for table, name in _constraints(ForeignKeyConstraint)
    }
    assert declared == ON_DELETE


@pytest.mark.parametrize(("table", "name"), _constraints(PrimaryKeyConstraint))
def test_primary_key_refuses_a_duplicate(conn: Connection, table: str, name: str) -> None:
    first = valid_row(table, 1)
    insert_with_parents(conn, table_named(table), first)
    key = {c.name: first[c.name] for c in _constraint(table, name).columns}
    second = valid_row(table, 2, **key)
    ensure_parents(conn, table_named(table), second)
    before = snapshot(conn, table_named(table))

    assert _refused(conn, table, second) == name
    assert snapshot(conn, table_named(table)) == before


@pytest.mark.parametrize(("table", "name"), _constraints(UniqueConstraint))
def test_unique_constraint_refuses_a_duplicate(conn: Connection, table: str, name: str) -> None:
    first = valid_row(table, 1)
    insert_with_parents(conn, table_named(table), first)
    same = {c.name: first[c.name] for c in _constraint(table, name).columns if c.name in first}
    second = valid_row(table, 2, **same)
    ensure_parents(conn, table_named(table), second)
    before = snapshot(conn, table_named(table))

    assert _refused(conn, table, second) == name
    assert snapshot(conn, table_named(table)) == before


@pytest.mark.parametrize(("table", "name"), _constraints(ForeignKeyConstraint))
def test_foreign_key_refuses_a_missing_parent(conn: Connection, table: str, name: str) -> None:
    (column,) = _constraint(table, name).column_keys
    row = valid_row(table, 1, **{column: MISSING_ID}, **_CHILD_CHANGES.get(name, {}))
    ensure_parents(conn, table_named(table), row)
    before = snapshot(conn, table_named(table))

    assert _refused(conn, table, row) == name
    assert snapshot(conn, table_named(table)) == before


@pytest.mark.parametrize(("table", "name"), _constraints(CheckConstraint))
def test_check_constraint_refuses_a_bad_value(conn: Connection, table: str, name: str) -> None:
    if name.endswith("_integer") and conn.dialect.name != "sqlite":
        pytest.skip(
            "typeof CHECKs are SQLite's: test_no_integer_column_holds_a_real covers servers"
        )
    row = valid_row(table, 1, **CHECK_BAD_VALUES[name])
    ensure_parents(conn, table_named(table), row)
    before = snapshot(conn, table_named(table))

    assert _refused(conn, table, row) == name
    assert snapshot(conn, table_named(table)) == before


def _not_null_columns() -> list[tuple[str, str]]:
    return sorted(
        (table.name, column.name)
        for table in metadata.tables.values()
        for column in table.columns
        if not column.nullable
        and not column.primary_key
        and not isinstance(column.server_default, Computed)
    )


@pytest.mark.parametrize(("table", "column"), _not_null_columns())
def test_not_null_column_refuses_null(conn: Connection, table: str, column: str) -> None:
    row = valid_row(table, 1, **{column: None})
    ensure_parents(conn, table_named(table), row)
    before = snapshot(conn, table_named(table))

    assert _refused(conn, table, row) == f"{table}.{column}"
    assert snapshot(conn, table_named(table)) == before


@pytest.mark.parametrize("name", sorted(n for n, rule in ON_DELETE.items() if rule == "RESTRICT"))
def test_restrict_keeps_a_referenced_parent(conn: Connection, name: str) -> None:
    child, parent, parent_key = _child_and_parent(conn, name)

    with pytest.raises(DBAPIError) as raised, conn.begin_nested():
        conn.execute(delete(parent).where(parent_key == 1))

    violation = translate(raised.value, conn)
    assert violation is not None
    # SQLite names it too: sqlite_fk asks each RESTRICT key for a row referring to row 1
    assert violation.constraint == name
    assert "cannot be deleted or re-keyed" in str(violation)
    assert _count(conn, parent, parent_key == 1) == 1
    assert _count(conn, child) == (2 if child is parent else 1)


@pytest.mark.parametrize("name", sorted(n for n, rule in ON_DELETE.items() if rule == "CASCADE"))
def test_cascade_deletes_the_children(conn: Connection, name: str) -> None:
    child, parent, parent_key = _child_and_parent(conn, name)

    conn.execute(delete(parent).where(parent_key == 1))

    assert _count(conn, parent, parent_key == 1) == 0
    assert _count(conn, child) == 0


def _child_and_parent(conn: Connection, name: str) -> tuple[Any, Any, Any]:
    """Insert one child row referring to parent row 1 through ``name``, and nothing else."""
    table = next(t for t, n in _constraints(ForeignKeyConstraint) if n == name)
    fk = _constraint(table, name)
    (column,) = fk.column_keys
    child = table_named(table)
    insert_with_parents(
        conn, child, valid_row(table, 2, **{column: 1}, **_CHILD_CHANGES.get(name, {}))
    )
    parent = fk.referred_table
    return child, parent, fk.elements[0].column


def _count(conn: Connection, table: Any, *where: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def _integer_columns() -> list[tuple[str, str]]:
    """Integer columns of the shop's tables that are no key (a key's value must match
    an integer key); the rollups are derived data, rebuilt from these."""
    return sorted(
        (table.name, column.name)
        for table in (*DATA_TABLES, generation_runs)
        for column in table.columns
        if isinstance(column.type, Integer)
        and not (column.primary_key or column.foreign_keys or column.computed is not None)
    )


@pytest.mark.parametrize(("table", "column"), _integer_columns())
def test_no_integer_column_holds_a_real_past_64_bits(
    conn: Connection, table: str, column: str
) -> None:
    # a REAL past 64 bits, as SQLite's integer arithmetic makes of an overflowing sum
    # (2**64: MariaDB rounds a double just past 2**63 down to the largest BIGINT)
    row = valid_row(table, 1, **{column: float(2**64)})
    ensure_parents(conn, table_named(table), row)
    before = snapshot(conn, table_named(table))

    with pytest.raises(DBAPIError), conn.begin_nested():
        conn.execute(insert(table_named(table)).values(**row))

    assert snapshot(conn, table_named(table)) == before
