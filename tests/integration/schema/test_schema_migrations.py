"""Alembic: the revisions build exactly the schema ``init`` builds, and a database made by
``init`` is at the head revision with nothing to migrate."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, insert, inspect, select, text
from sqlalchemy.engine import Connection, Engine

from shopdb.db import migrate
from shopdb.db.admin import existing_shop_tables, init_schema, schema_version
from shopdb.db.schema import SCHEMA_VERSION, metadata, users


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
    assert migrate.head_revision() == SCHEMA_VERSION == "0005"


def test_upgrade_builds_the_schema_init_builds_and_downgrade_removes_it(
    empty_engine: Engine,
) -> None:
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as conn:
        migrated = _structure(conn)
        assert schema_version(conn) == SCHEMA_VERSION
    with empty_engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "base")
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
