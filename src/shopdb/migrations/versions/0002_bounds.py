"""Bounds: no value past the 64-bit-safe limits, no REAL in an integer column on SQLite,
no trailing space in a key MariaDB's PAD SPACE would compare differently.

The bounds are ``shopdb.limits`` as it was when written, frozen here as literals. SQLite cannot
add a constraint to a table, so there each table is rebuilt (create the new table, copy
the rows, drop the old one, rename, recreate its indexes) with ``PRAGMA foreign_keys``
off, which ``shopdb.db.migrate`` arranges; one transaction, like the rest of the upgrade.
A row that breaks a new rule makes the upgrade fail and change nothing on SQLite and
PostgreSQL (MariaDB commits each ALTER TABLE: the constraints added before it stay).

Revision ID: 0002
Revises: 0002t (revision ids name branches, not order: 0002 follows 0003 and 0002t)
Create Date: 2026-12-01
"""

from __future__ import annotations

import re
from collections.abc import Callable

from alembic import op
from sqlalchemy.engine import Connection

revision = "0002"
down_revision = "0002t"
branch_labels = None
depends_on = None

# (table, constraint name, condition): the new rules on every backend
CHECKS: tuple[tuple[str, str, str], ...] = (
    ("users", "ck_users_email_no_trailing_space", "email not like '% '"),
    ("products", "ck_products_price_cents_max", "price_cents <= 1000000000"),
    ("products", "ck_products_sku_no_trailing_space", "sku not like '% '"),
    ("inventory", "ck_inventory_quantity_on_hand_max", "quantity_on_hand <= 1000000000"),
    ("inventory", "ck_inventory_reorder_level_max", "reorder_level <= 1000000000"),
    ("orders", "ck_orders_total_cents_max", "total_cents <= 100000000000000000"),
    ("order_items", "ck_order_items_quantity_max", "quantity <= 1000000"),
    ("order_items", "ck_order_items_unit_price_cents_max", "unit_price_cents <= 1000000000"),
    ("payments", "ck_payments_amount_cents_max", "amount_cents <= 100000000000000000"),
    ("payments", "ck_payments_idempotency_key_no_trailing_space", "idempotency_key not like '% '"),
    (
        "shipments",
        "ck_shipments_tracking_number_no_trailing_space",
        "tracking_number not like '% '",
    ),
    (
        "inventory_movements",
        "ck_inventory_movements_quantity_delta_bounded",
        "quantity_delta between -1000000000 and 1000000000",
    ),
)

# SQLite only: every integer column of the shop tables that is no key (primary, foreign) nor
# computed (the rollup tables of 0003 are derived data, rebuilt from these)
INTEGER_COLUMNS: dict[str, tuple[tuple[str, bool], ...]] = {
    "products": (("price_cents", False),),
    "inventory": (("quantity_on_hand", False), ("reorder_level", False)),
    "orders": (("total_cents", False),),
    "order_items": (("quantity", False), ("unit_price_cents", False)),
    "payments": (("amount_cents", False),),
    "inventory_movements": (("quantity_delta", False),),
    "generation_runs": (("seed", False), ("years", False)),
}


def _sqlite_checks() -> dict[str, list[tuple[str, str]]]:
    by_table: dict[str, list[tuple[str, str]]] = {}
    for table, name, condition in CHECKS:
        by_table.setdefault(table, []).append((name, condition))
    for table, columns in INTEGER_COLUMNS.items():
        for column, nullable in columns:
            allowed = "('integer', 'null')" if nullable else "('integer')"
            by_table.setdefault(table, []).append(
                (f"ck_{table}_{column}_integer", f"typeof({column}) in {allowed}")
            )
    return by_table


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        for table, name, condition in CHECKS:
            op.create_check_constraint(op.f(name), table, condition)
        return
    for table, checks in _sqlite_checks().items():
        clauses = "".join(f",\n\tCONSTRAINT {name} CHECK ({cond})" for name, cond in checks)

        def with_checks(sql: str, extra: str = clauses) -> str:
            return _before_last_paren(sql, extra)

        _rebuild(conn, table, with_checks)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        for table, name, _ in reversed(CHECKS):
            op.drop_constraint(op.f(name), table, type_="check")
        return
    for table, checks in _sqlite_checks().items():

        def without(sql: str, checks: list[tuple[str, str]] = checks) -> str:
            for name, cond in checks:
                clause = re.compile(rf",\s*CONSTRAINT {name} CHECK \({re.escape(cond)}\)")
                sql, found = clause.subn("", sql)
                if found != 1:
                    raise RuntimeError(f"constraint {name} not found in the table's SQL")
            return sql

        _rebuild(conn, table, without)


def _before_last_paren(sql: str, extra: str) -> str:
    body = sql.rstrip()
    if not body.endswith(")"):
        raise RuntimeError(f"unexpected table SQL: {sql[:60]!r}")
    return body[:-1].rstrip() + extra + "\n)"


def _rebuild(conn: Connection, table: str, change: Callable[[str], str]) -> None:
    """Rebuild a SQLite table with ``change`` applied to its CREATE TABLE text.

    The procedure SQLite documents for schema changes ALTER TABLE cannot make; foreign
    keys must be off (else dropping a parent would cascade into its children).
    """
    sql = conn.exec_driver_sql(
        "select sql from sqlite_master where type = 'table' and name = ?", (table,)
    ).scalar_one()
    indexes = conn.exec_driver_sql(
        "select sql from sqlite_master where type = 'index' and tbl_name = ? and sql is not null",
        (table,),
    ).scalars()
    index_sql = list(indexes)
    # hidden 0: stored columns (2 and 3 are generated ones, which cannot be inserted)
    columns = [
        f'"{row[1]}"'
        for row in conn.exec_driver_sql(f'pragma table_xinfo("{table}")')
        if row[6] == 0
    ]
    temporary = f"_shopdb_rebuild_{table}"
    created, count = re.subn(
        rf'^CREATE TABLE\s+"?{table}"?\s*\(', f'CREATE TABLE "{temporary}" (', change(sql)
    )
    if count != 1:
        raise RuntimeError(f"unexpected table SQL for {table}: {sql[:60]!r}")
    listed = ", ".join(columns)
    conn.exec_driver_sql(created)
    conn.exec_driver_sql(f'insert into "{temporary}" ({listed}) select {listed} from "{table}"')
    conn.exec_driver_sql(f'drop table "{table}"')
    conn.exec_driver_sql(f'alter table "{temporary}" rename to "{table}"')
    for statement in index_sql:
        conn.exec_driver_sql(statement)
