"""The shopdb schema: every table, constraint and index, on one ``MetaData``.

Integrity lives here. Each rule that can be a NOT NULL, UNIQUE, FOREIGN KEY or CHECK
is one, named by ``NAMING_CONVENTION`` so every backend's error message names it.
``docs/schema.md`` explains each table, each ON DELETE rule and each index.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    Computed,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects import sqlite as _sqlite

from shopdb.access import ROLES
from shopdb.db.clock import utc_now
from shopdb.db.types import Cents, Id, UtcDateTime
from shopdb.lifecycle import (
    INITIAL_STATUS,
    MOVEMENT_REASONS,
    ORDER_STATUSES,
    PAYMENT_METHODS,
    PAYMENT_REFUNDED,
    PAYMENT_STATUSES,
    RUN_STATUSES,
)
from shopdb.limits import MAX_PRICE_CENTS, MAX_QUANTITY, MAX_STOCK, MAX_TOTAL_CENTS

SCHEMA_VERSION = "0020"
"""The schema's revision, stored in ``alembic_version``: the newest Alembic revision in
``shopdb/migrations/versions`` (a test keeps the two equal)."""

NAMING_CONVENTION = {
    "pk": "pk_%(table_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
}

STAFF_ROLES = ROLES  # staff accounts hold the API's roles (shopdb.access)
"""Roles of back-office accounts (``staff_accounts.role``)."""

metadata = MetaData(naming_convention=NAMING_CONVENTION)

_SQLITE_DIALECT = _sqlite.dialect()
# InnoDB for foreign keys and transactions; utf8mb4 for every name a user may have.
MYSQL_TABLE_OPTIONS: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}
_MYSQL = MYSQL_TABLE_OPTIONS
# UTC whatever the session's time zone, in the form bound values take (see clock.py)
_NOW = utc_now()


def _one_of(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} in ({quoted})"


def _at_most(column: str, limit: int) -> CheckConstraint:
    """A bound from ``shopdb.limits``: no arithmetic on the column can overflow 64 bits."""
    return CheckConstraint(f"{column} <= {limit}", name=f"{column}_max")


def _no_trailing_space(column: str) -> CheckConstraint:
    """MariaDB's PAD SPACE collations ignore trailing spaces when comparing, so
    ``'k '`` would collide with ``'k'`` there and not on SQLite or PostgreSQL: refused
    everywhere, the three backends agree. (LIKE compares trailing spaces on all three.)"""
    return CheckConstraint(f"{column} not like '% '", name=f"{column}_no_trailing_space")


users = Table(
    "users",
    metadata,
    Column("user_id", Id, primary_key=True),
    Column("email", String(254), nullable=False),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False),
    Column("created_at", UtcDateTime, nullable=False, server_default=_NOW),
    Column("country_code", String(2), nullable=True),
    Column("city", String(100), nullable=True),
    UniqueConstraint("email"),
    CheckConstraint("email like '%_@_%'", name="email_format"),
    _no_trailing_space("email"),
    CheckConstraint("country_code is null or length(country_code) = 2", name="country_code"),
    **_MYSQL,
)

categories = Table(
    "categories",
    metadata,
    Column("category_id", Id, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("parent_id", Id, ForeignKey("categories.category_id", ondelete="RESTRICT")),
    # NULL never equals NULL in a UNIQUE constraint, so top-level names would escape
    # the sibling rule; a computed key of 0 for "no parent" closes that gap everywhere.
    Column("parent_key", Id, Computed("coalesce(parent_id, 0)", persisted=True)),
    UniqueConstraint("parent_key", "name", name="uq_categories_parent_name"),
    CheckConstraint("name <> ''", name="name_not_empty"),
    Index(None, "parent_id"),
    **_MYSQL,
)

products = Table(
    "products",
    metadata,
    Column("product_id", Id, primary_key=True),
    Column(
        "category_id", Id, ForeignKey("categories.category_id", ondelete="RESTRICT"), nullable=False
    ),
    Column("sku", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("price_cents", Cents, nullable=False),
    Column("created_at", UtcDateTime, nullable=False, server_default=_NOW),
    Column("brand", String(100), nullable=True),
    UniqueConstraint("sku"),
    CheckConstraint("price_cents >= 0", name="price_cents_nonnegative"),
    CheckConstraint("sku <> ''", name="sku_not_empty"),
    _at_most("price_cents", MAX_PRICE_CENTS),
    _no_trailing_space("sku"),
    Index(None, "category_id"),
    **_MYSQL,
)

inventory = Table(
    "inventory",
    metadata,
    Column(
        "product_id", Id, ForeignKey("products.product_id", ondelete="CASCADE"), primary_key=True
    ),
    Column("quantity_on_hand", Cents, nullable=False),
    Column("reorder_level", Cents, nullable=False, server_default=text("0")),
    Column("updated_at", UtcDateTime, nullable=False, server_default=_NOW),
    CheckConstraint("quantity_on_hand >= 0", name="quantity_on_hand_nonnegative"),
    CheckConstraint("reorder_level >= 0", name="reorder_level_nonnegative"),
    _at_most("quantity_on_hand", MAX_STOCK),
    _at_most("reorder_level", MAX_STOCK),
    **_MYSQL,
)

orders = Table(
    "orders",
    metadata,
    Column("order_id", Id, primary_key=True),
    Column("user_id", Id, ForeignKey("users.user_id", ondelete="RESTRICT"), nullable=False),
    Column("status", String(16), nullable=False, server_default=text(f"'{INITIAL_STATUS}'")),
    Column("created_at", UtcDateTime, nullable=False, server_default=_NOW),
    Column("total_cents", Cents, nullable=False),
    Column("updated_at", UtcDateTime, nullable=True),
    # the shipping destination as it was when the order was placed
    Column("ship_country_code", String(2), nullable=True),
    Column("ship_city", String(100), nullable=True),
    CheckConstraint(_one_of("status", ORDER_STATUSES), name="status"),
    CheckConstraint("total_cents >= 0", name="total_cents_nonnegative"),
    _at_most("total_cents", MAX_TOTAL_CENTS),
    CheckConstraint(
        "ship_country_code is null or length(ship_country_code) = 2", name="ship_country_code"
    ),
    Index(None, "user_id", "created_at", "status", "total_cents"),
    Index(None, "status", "created_at"),
    Index(None, "created_at"),
    **_MYSQL,
)

order_items = Table(
    "order_items",
    metadata,
    Column("order_item_id", Id, primary_key=True),
    Column("order_id", Id, ForeignKey("orders.order_id", ondelete="CASCADE"), nullable=False),
    Column(
        "product_id", Id, ForeignKey("products.product_id", ondelete="RESTRICT"), nullable=False
    ),
    Column("quantity", Cents, nullable=False),
    Column("unit_price_cents", Cents, nullable=False),
    UniqueConstraint("order_id", "product_id"),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    CheckConstraint("unit_price_cents >= 0", name="unit_price_cents_nonnegative"),
    _at_most("quantity", MAX_QUANTITY),
    _at_most("unit_price_cents", MAX_PRICE_CENTS),
    # covering: per-product sales read the index alone (0003, docs/schema.md)
    Index(None, "product_id", "order_id", "quantity", "unit_price_cents"),
    **_MYSQL,
)

payments = Table(
    "payments",
    metadata,
    Column("payment_id", Id, primary_key=True),
    Column("order_id", Id, ForeignKey("orders.order_id", ondelete="RESTRICT"), nullable=False),
    Column("amount_cents", Cents, nullable=False),
    Column("method", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False, server_default=_NOW),
    Column("refunded_at", UtcDateTime, nullable=True),
    # a client's retry key: the same key can never record a second payment
    Column("idempotency_key", String(64), nullable=True),
    UniqueConstraint("idempotency_key"),
    CheckConstraint("amount_cents > 0", name="amount_cents_positive"),
    _at_most("amount_cents", MAX_TOTAL_CENTS),
    _no_trailing_space("idempotency_key"),
    CheckConstraint(_one_of("method", PAYMENT_METHODS), name="method"),
    CheckConstraint(_one_of("status", PAYMENT_STATUSES), name="status"),
    # not "iff": a row giving only the contract's columns may say 'refunded' without a time
    CheckConstraint(
        f"refunded_at is null or status = '{PAYMENT_REFUNDED}'",
        name="refunded_at_only_if_refunded",
    ),
    Index(None, "order_id", "status"),
    # the refunds of a date range and their amounts (the dashboard's refunds figure)
    # from the index alone: a row look-up per refund cost 88 ms for 30 days at SF 1
    Index(None, "status", "refunded_at", "amount_cents"),
    **_MYSQL,
)

order_status_history = Table(
    "order_status_history",
    metadata,
    Column("history_id", Id, primary_key=True),
    Column("order_id", Id, ForeignKey("orders.order_id", ondelete="CASCADE"), nullable=False),
    Column("from_status", String(16), nullable=True),
    Column("to_status", String(16), nullable=False),
    Column("changed_at", UtcDateTime, nullable=False, server_default=_NOW),
    CheckConstraint(
        f"from_status is null or {_one_of('from_status', ORDER_STATUSES)}", name="from_status"
    ),
    CheckConstraint(_one_of("to_status", ORDER_STATUSES), name="to_status"),
    Index(None, "order_id", "changed_at"),
    **_MYSQL,
)

shipments = Table(
    "shipments",
    metadata,
    Column("shipment_id", Id, primary_key=True),
    Column("order_id", Id, ForeignKey("orders.order_id", ondelete="CASCADE"), nullable=False),
    Column("carrier", String(32), nullable=False),
    Column("tracking_number", String(64), nullable=False),
    Column("shipped_at", UtcDateTime, nullable=False, server_default=_NOW),
    Column("delivered_at", UtcDateTime, nullable=True),
    UniqueConstraint("order_id"),
    UniqueConstraint("tracking_number"),
    _no_trailing_space("tracking_number"),
    CheckConstraint(
        "delivered_at is null or delivered_at >= shipped_at", name="delivered_after_shipped"
    ),
    **_MYSQL,
)

inventory_movements = Table(
    "inventory_movements",
    metadata,
    Column("movement_id", Id, primary_key=True),
    Column("product_id", Id, ForeignKey("products.product_id", ondelete="CASCADE"), nullable=False),
    Column("quantity_delta", Cents, nullable=False),
    Column("reason", String(16), nullable=False),
    Column("order_id", Id, ForeignKey("orders.order_id", ondelete="RESTRICT"), nullable=True),
    Column("created_at", UtcDateTime, nullable=False, server_default=_NOW),
    CheckConstraint(_one_of("reason", MOVEMENT_REASONS), name="reason"),
    CheckConstraint("quantity_delta <> 0", name="quantity_delta_nonzero"),
    CheckConstraint(
        f"quantity_delta between -{MAX_STOCK} and {MAX_STOCK}", name="quantity_delta_bounded"
    ),
    # sales take stock for an order, returns give it back for one, receipts only add;
    # written as implications so an unknown reason breaks only ck_..._reason
    CheckConstraint(
        "(reason <> 'sale' or (quantity_delta < 0 and order_id is not null))"
        " and (reason <> 'return' or (quantity_delta > 0 and order_id is not null))"
        " and (reason <> 'receipt' or (quantity_delta > 0 and order_id is null))"
        " and (reason <> 'adjustment' or order_id is null)",
        name="reason_rules",
    ),
    Index(None, "product_id", "created_at"),
    Index(None, "order_id"),
    **_MYSQL,
)

generation_runs = Table(
    "generation_runs",
    metadata,
    Column("run_id", Id, primary_key=True),
    Column("seed", Cents, nullable=False),
    Column("scale_factor", String(32), nullable=False),
    Column("end_date", String(10), nullable=False),
    Column("years", Cents, nullable=False),
    Column("generator_version", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=True),
    # the versions of the libraries whose output shapes the rows (NumPy's random streams,
    # Faker's name lists); last, where revision 0002t added it; NULL for older runs
    Column("library_versions", String(200), nullable=True),
    CheckConstraint(_one_of("status", RUN_STATUSES), name="status"),
    CheckConstraint(
        "(status = 'running') = (finished_at is null)", name="finished_at_iff_not_running"
    ),
    **_MYSQL,
)

# API keys: only a hash of each key is stored; a revoked key keeps its row for the record.
api_keys = Table(
    "api_keys",
    metadata,
    Column("api_key_id", Id, primary_key=True),
    Column("role", String(16), nullable=False),
    Column("label", String(100), nullable=True),
    # the key's first characters, enough to recognise it in a list, never to use it
    Column("key_prefix", String(16), nullable=False),
    Column("key_hash", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False, server_default=_NOW),
    Column("revoked_at", UtcDateTime, nullable=True),
    UniqueConstraint("key_hash"),
    CheckConstraint(_one_of("role", ROLES), name="role"),
    **_MYSQL,
)

# An Idempotency-Key and the response it got, written in the transaction of the write it
# names, so a committed write always has its key and a replay writes nothing.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("idempotency_key", String(64), primary_key=True),
    Column("api_key_id", Id, ForeignKey("api_keys.api_key_id", ondelete="CASCADE"), nullable=True),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("response_body", Text, nullable=False),
    Column("location", String(200), nullable=True),
    Column("created_at", UtcDateTime, nullable=False, server_default=_NOW),
    # a key is an API client's (api_key_id) or a dashboard form's (staff_id): the form
    # keys are random per rendered form, so a second submission finds its key taken
    Column(
        "staff_id", Id, ForeignKey("staff_accounts.staff_id", ondelete="CASCADE"), nullable=True
    ),
    CheckConstraint("status_code between 200 and 299", name="status_code_success"),
    CheckConstraint("api_key_id is null or staff_id is null", name="one_owner"),
    Index(None, "api_key_id"),
    Index(None, "staff_id"),
    **_MYSQL,
)

# Back-office accounts for the dashboard (``shopdb staff``); only a password hash is kept.
staff_accounts = Table(
    "staff_accounts",
    metadata,
    Column("staff_id", Id, primary_key=True),
    Column("email", String(254), nullable=False),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("created_at", UtcDateTime, nullable=False, server_default=_NOW),
    Column("disabled_at", UtcDateTime, nullable=True),
    UniqueConstraint("email"),
    CheckConstraint("email like '%_@_%'", name="email_format"),
    CheckConstraint(_one_of("role", STAFF_ROLES), name="role"),
    **_MYSQL,
)

alembic_version = Table(
    "alembic_version",
    metadata,
    Column("version_num", String(32), primary_key=True),
    **_MYSQL,
)


def _integers_only() -> None:
    """SQLite: a named CHECK per integer column that its value is stored as an integer.

    SQLite's INTEGER affinity keeps any value it cannot convert losslessly (a REAL past
    2**63, a string), and its integer arithmetic turns an overflow into a REAL: without
    this, ``quantity_on_hand + :qty`` could store 9.223372036854776e+18. The servers'
    BIGINT columns refuse such values themselves, so the CHECKs are SQLite's alone.
    Primary keys are rowid aliases, always integers, and need none; nor do foreign keys,
    whose value must equal such a key.
    """
    for table in metadata.tables.values():
        for column in table.columns:
            if column.primary_key or column.foreign_keys or column.computed is not None:
                continue
            if not isinstance(column.type.dialect_impl(_SQLITE_DIALECT), Integer):
                continue
            allowed = "('integer', 'null')" if column.nullable else "('integer')"
            table.append_constraint(
                CheckConstraint(
                    f"typeof({column.name}) in {allowed}", name=f"{column.name}_integer"
                ).ddl_if(dialect="sqlite")
            )


# Tables that hold shop data, parents before children: the order to load and to check.
DATA_TABLES = (
    users,
    categories,
    products,
    inventory,
    orders,
    order_items,
    payments,
    order_status_history,
    shipments,
    inventory_movements,
)

# the shop's own tables; the rollups (derived, rebuilt from these) are not covered
_integers_only()

# the lake's change log and the rollup tables live on the same MetaData (imported last:
# they use the options above)
from shopdb.db import lake_log as _lake_log  # noqa: E402, F401
from shopdb.db import rollup_schema as _rollup_schema  # noqa: E402, F401
