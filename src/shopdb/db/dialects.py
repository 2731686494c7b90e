"""SQLAlchemy dialects by the names shopdb's CLI accepts."""

from __future__ import annotations

from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.engine import Dialect

DIALECT_NAMES = ("sqlite", "mysql", "postgresql")


def dialect_named(name: str) -> Dialect:
    """Return the dialect for ``sqlite``, ``mysql`` (MariaDB too) or ``postgresql``."""
    if name == "sqlite":
        return sqlite.dialect()
    if name == "mysql":
        return mysql.dialect()
    if name == "postgresql":
        return postgresql.dialect()  # type: ignore[no-untyped-call]
    raise ValueError(f"unknown dialect {name!r}: use one of {', '.join(DIALECT_NAMES)}")
