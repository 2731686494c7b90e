"""Schema migrations with Alembic, run on a shopdb engine.

The revisions live in ``shopdb/migrations/versions``; ``0001`` is the schema that
``shopdb init`` creates and records. The revision a database holds is
``admin.schema_version``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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
    with _migrating(engine) as conn:
        command.upgrade(alembic_config(conn), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database back to ``revision`` (``base``: no shopdb tables), like ``upgrade``."""
    with _migrating(engine) as conn:
        command.downgrade(alembic_config(conn), revision)


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction, with SQLite's foreign keys off until it ends.

    SQLite changes a table's constraints only by rebuilding it, and dropping the old
    table with foreign keys on would cascade into its children. The pragma is a no-op
    inside a transaction, so it is set before BEGIN, on the driver's connection; the
    keys are checked before COMMIT and switched back on afterwards.
    """
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        raw = conn.connection.driver_connection if sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                yield conn
                if raw is not None:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if broken is not None:
                        raise RuntimeError(f"the migration broke a foreign key: {tuple(broken)}")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")
