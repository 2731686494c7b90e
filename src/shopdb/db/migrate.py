"""Schema migrations with Alembic, run on a shopdb engine.

The revisions live in ``shopdb/migrations/versions``; ``0001`` is the schema that
``shopdb init`` creates and records. The revision a database holds is
``admin.schema_version``.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

SCRIPT_LOCATION = "shopdb:migrations"


def alembic_config(conn: Connection | None = None) -> Config:
    """An Alembic ``Config`` for shopdb's revisions, bound to ``conn`` if given."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if conn is not None:
        config.attributes["connection"] = conn
    return config


def head_revision() -> str:
    """The newest revision in the package: what ``upgrade`` brings a database to."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships 0001
        raise RuntimeError("shopdb ships no schema revision")
    return head


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database to ``revision`` in one transaction where the backend allows.

    PostgreSQL and SQLite roll a failed migration back entirely; MariaDB commits each DDL
    statement, so a failure there can leave the schema between two revisions.
    """
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)
