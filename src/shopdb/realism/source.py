"""Where the realism report reads from: named SQL aggregates over a shop's tables.

Every measurement is one of the small aggregate queries in ``sql/<name>.sql`` (a few
hundred rows at most, whatever the shop's size); the report computes its figures from
those rows in Python. A ``Source`` runs a query by name with bound values: an
``EngineSource`` on SQLite, MariaDB or PostgreSQL, and any other reader (a Parquet lake
through DuckDB, say) only has to do the same with ``sql_for``'s text.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any, Protocol

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Engine
from sqlalchemy.types import Integer

from shopdb.db.backend import backend_name
from shopdb.db.types import UtcDateTime
from shopdb.queries import fragments

QUERY_NAMES = (
    "daily_orders",
    "hourly_orders",
    "product_sales",
    "customer_orders",
    "second_orders",
    "basket_sizes",
    "product_pairs",
    "product_prices",
    "delivery_days",
    "payment_attempts",
)
"""The aggregate queries a source answers, each ``sql/<name>.sql``."""


class Source(Protocol):
    """Answers the realism queries: rows as tuples, in the query's column order."""

    def rows(self, name: str, **values: Any) -> list[tuple[Any, ...]]:
        """Run query ``name`` with ``values`` bound (datetimes UTC, counts integers)."""


@cache
def sql_for(name: str, dialect: str) -> str:
    """The text of query ``name`` with its fragments expanded for ``dialect``."""
    if name not in QUERY_NAMES:
        raise ValueError(f"no realism query {name!r}")
    source = resources.files("shopdb.realism").joinpath("sql", f"{name}.sql")
    return fragments.expand(source.read_text(encoding="utf-8"), dialect).strip()


class EngineSource:
    """A ``Source`` on a shopdb database, one read-only connection per query."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def rows(self, name: str, **values: Any) -> list[tuple[Any, ...]]:
        """Run query ``name`` with ``values`` bound; nothing is written."""
        binds = [
            bindparam(k, v, type_=UtcDateTime() if isinstance(v, datetime) else Integer())
            for k, v in values.items()
        ]
        statement = text(sql_for(name, backend_name(self.engine))).bindparams(*binds)
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(statement)]
