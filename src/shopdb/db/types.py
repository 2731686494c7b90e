"""Column types that behave the same on SQLite, MariaDB and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Integer, String
from sqlalchemy.dialects import mysql
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from shopdb.db.backend import MYSQL, backend_name

# SQLite makes only INTEGER PRIMARY KEY an alias of the rowid (and so auto-incrementing);
# the server backends get 64-bit keys so SF 100 and beyond cannot overflow.
Id = BigInteger().with_variant(Integer(), "sqlite")
Cents = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and returned as an aware UTC ``datetime``.

    SQLite and MariaDB drop timezone offsets silently and PostgreSQL converts them,
    so every value is converted to UTC here and stored without an offset on all three.
    MariaDB keeps microseconds (``DATETIME(6)``) like the other two.
    """

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if backend_name(dialect) == MYSQL:
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime(timezone=False))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: shopdb stores aware UTC timestamps")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # SQLite server defaults come back as text
            value = datetime.fromisoformat(value)
        stored: datetime = value
        return stored.replace(tzinfo=UTC)


def max_length(column: Column[Any]) -> int:
    """The most characters a text column holds, read from its type (``String(n)``).

    Raises:
        TypeError: the column is not a ``String`` with a length.
    """
    length = column.type.length if isinstance(column.type, String) else None
    if length is None:
        raise TypeError(f"{column} has no length")
    return int(length)


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)
