"""Alembic: the revisions build exactly the schema ``init`` builds, and a database made by
``init`` is at the head revision with nothing to migrate."""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from schema_rows import insert_with_parents, snapshot, table_named, valid_row
from sqlalchemy import func, insert, inspect, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from dbservers import schema_engine
from shopdb.cli import cli
from shopdb.db import migrate
from shopdb.db.admin import existing_shop_tables, init_schema, schema_version
from shopdb.db.schema import DATA_TABLES, SCHEMA_VERSION, inventory, metadata, users
from shopdb.db.violations import translate


def _structure(conn: Connection) -> dict[str, Any]:
    """What the database says about each shopdb table (alembic_version aside: Alembic
    creates its own, with its own key name)."""
    found = inspect(conn)
    tables = sorted(set(metadata.tables) & set(found.get_table_names()) - {"alembic_version"})
    return {
        table: {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
                for c in found.get_columns(table)
            ],
            "pk": found.get_pk_constraint(table),
            "fks": sorted(
                (fk["name"], tuple(fk["constrained_columns"]), str(fk.get("options")))
                for fk in found.get_foreign_keys(table)
            ),
            "unique": sorted(
                (u["name"], tuple(u["column_names"])) for u in found.get_unique_constraints(table)
            ),
            "checks": sorted(str(ck["name"]) for ck in found.get_check_constraints(table)),
            "indexes": sorted(
                (str(ix["name"]), tuple(map(str, ix["column_names"])), bool(ix["unique"]))
                for ix in found.get_indexes(table)
            ),
        }
        for table in tables
    }


def test_head_revision_is_the_version_init_records() -> None:
    # 0005 follows 0004, 0003, 0002t and 0002: revision ids name branches (see 0002_bounds)
    assert migrate.head_revision() == SCHEMA_VERSION == "0020"


def test_upgrade_builds_the_schema_init_builds_and_downgrade_removes_it(
    empty_engine: Engine,
) -> None:
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as conn:
        migrated = _structure(conn)
        assert schema_version(conn) == SCHEMA_VERSION
    migrate.downgrade(empty_engine, "base")
    with empty_engine.begin() as conn:
        assert existing_shop_tables(conn) == ["alembic_version"]
        conn.execute(text("DROP TABLE alembic_version"))

    init_schema(empty_engine)

    with empty_engine.connect() as conn:
        initialized = _structure(conn)
    assert len(initialized) == len(metadata.tables) - 1
    assert migrated == initialized


def test_a_database_made_by_init_is_at_head_and_matches_the_metadata(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(users).values(user_id=1, email="a@example.com", first_name="A", last_name="B")
        )
        before = _structure(conn)

    migrate.upgrade(engine)

    with engine.connect() as conn:
        assert schema_version(conn) == SCHEMA_VERSION
        assert _structure(conn) == before
        assert conn.execute(select(func.count()).select_from(users)).scalar_one() == 1
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_migrate_upgrades_a_0001_database_in_place_with_its_rows(
    empty_engine: Engine, db_url_text: str
) -> None:
    migrate.upgrade(empty_engine, "0001")
    with empty_engine.begin() as conn:
        for name in (
            "inventory",
            "order_items",
            "payments",
            "shipments",
            "order_status_history",
            "inventory_movements",
        ):
            insert_with_parents(conn, table_named(name), valid_row(name, 1))
        insert_with_parents(
            conn, table_named("categories"), valid_row("categories", 2, parent_id=1)
        )
        before = {t.name: snapshot(conn, t) for t in DATA_TABLES}
    assert all(before.values())

    result = CliRunner().invoke(cli, ["--db", db_url_text, "migrate"])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"migrated schema from revision 0001 to {SCHEMA_VERSION} in ")
    with empty_engine.begin() as conn:
        assert schema_version(conn) == SCHEMA_VERSION
        assert {t.name: snapshot(conn, t) for t in DATA_TABLES} == before
        assert _structure(conn) == _structure_of_init(conn.dialect.name)
        # the new rules hold for the migrated tables
        with pytest.raises(DBAPIError) as raised, conn.begin_nested():
            conn.execute(
                update(inventory).values(quantity_on_hand=inventory.c.quantity_on_hand + 2**62)
            )
        assert "quantity_on_hand" in str(translate(raised.value, conn))


_INIT_STRUCTURES: dict[str, Any] = {}


def _structure_of_init(backend: str) -> Any:
    """The structure ``init`` builds on ``backend``, in a scratch database."""
    if backend not in _INIT_STRUCTURES:
        with (
            TemporaryDirectory() as folder,
            schema_engine(backend, Path(folder)) as (engine, _),
            engine.connect() as conn,
        ):
            _INIT_STRUCTURES[backend] = _structure(conn)
    return _INIT_STRUCTURES[backend]
