"""Load a query's SQL, check its parameters, bind them and run it; or show its plan.

A query's SQL lives in ``sql/<name>.sql``, shared by the three backends;
``sql/<name>.rollup.sql`` answers it from the rollups where ``sources.py`` says it can.
The few expressions the dialects disagree on are ``{fragments}`` (see ``fragments.py``),
expanded by ``sqlfiles.load_sql`` for the engine's backend.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import TextClause, bindparam, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.selectable import TextualSelect
from sqlalchemy.types import Integer, String, TypeEngine

from shopdb.db.backend import backend_name, backend_of
from shopdb.db.grouping import room_to_group, serial_plan
from shopdb.db.overflow import number_overflow, overflow_refused
from shopdb.db.types import UtcDateTime
from shopdb.errors import InvalidInput, NotFound
from shopdb.queries.catalog_dashboard import DASHBOARD_QUERIES
from shopdb.queries.catalog_more import MORE_QUERIES
from shopdb.queries.catalog_seed import SEED_QUERIES
from shopdb.queries.registry import QuerySpec
from shopdb.queries.sources import (
    SERIAL_ROLLUPS,
    rollup_values,
    use_rollup,
)
from shopdb.queries.sqlfiles import load_sql

QUERIES: dict[str, QuerySpec] = {
    spec.name: spec for spec in (*SEED_QUERIES, *MORE_QUERIES, *DASHBOARD_QUERIES)
}
"""Every query by name, the seed's first."""

_RESULT_TYPES: dict[str, TypeEngine[Any]] = {
    "int": Integer(),
    "text": String(),
    "timestamp": UtcDateTime(),
}


@dataclass(frozen=True)
class QueryResult:
    """A query's answer: its column names and its rows, each a tuple in column order."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def as_dicts(self) -> list[dict[str, Any]]:
        """The rows as dictionaries keyed by column name."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def get_query(name: str) -> QuerySpec:
    """The query called ``name``.

    Raises:
        InvalidInput: no query has that name.
    """
    spec = QUERIES.get(name)
    if spec is None:
        raise InvalidInput(f"unknown query {name!r}: no catalogue query has that name")
    return spec


def sql_text(name: str, dialect: str, *, rollup: bool = False) -> str:
    """The SQL of query ``name`` as it runs on ``dialect``, fragments expanded; with
    ``rollup``, its form that reads the rollups."""
    return load_sql("shopdb.queries", f"{name}.rollup" if rollup else name, dialect)


def bind_values(spec: QuerySpec, given: Mapping[str, Any]) -> dict[str, Any]:
    """Check the caller's parameters and return every value the SQL binds.

    Raises:
        InvalidInput: an unknown parameter, or a value out of range or malformed.
    """
    for key in given:
        if spec.param(key) is None:
            takes = ", ".join(p.name for p in spec.params) or "no parameters"
            raise InvalidInput(f"query {spec.name!r} has no parameter {key!r} (it takes {takes})")
    values = {
        p.name: p.convert(given[p.name]) if given.get(p.name) is not None else p.default_value()
        for p in spec.params
    }
    since, until = values.get("since"), values.get("until")
    if since is not None and until is not None and since >= until:
        raise InvalidInput("since must be on or before until")
    if spec.derive is not None:
        values.update(spec.derive(values))
    return values


_BIND = re.compile(r"(?<![:\w]):(\w+)")


def _bound(sql: str, values: Mapping[str, Any]) -> TextClause:
    # a query's two forms bind different subsets of the values
    used = set(_BIND.findall(sql))
    binds = [
        bindparam(key, value, type_=UtcDateTime() if isinstance(value, datetime) else Integer())
        for key, value in values.items()
        if key in used
    ]
    return text(sql).bindparams(*binds)


def statement(
    spec: QuerySpec, dialect: str, values: Mapping[str, Any], *, rollup: bool = False
) -> TextualSelect:
    """The query as a ``text()`` statement with every value bound and its result types."""
    types = {c.name: _RESULT_TYPES[c.kind] for c in spec.columns}
    if rollup:
        values = {**values, **rollup_values(values)}
    return _bound(sql_text(spec.name, dialect, rollup=rollup), values).columns(**types)


def run_query(
    engine: Engine | Connection, name: str, *, source: str = "auto", **params: Any
) -> QueryResult:
    """Run query ``name`` with ``params`` and return its columns and rows.

    ``source`` picks the tables: ``auto`` reads the rollups where they can answer
    (``sources.py``), ``rollup`` insists on them, ``base`` reads orders and items. Both
    give the same rows. Read-only: nothing is written, whatever happens. Given a
    connection, the query runs in the caller's transaction. Given an engine, a query of
    one statement runs outside a transaction where the backend saves round trips by it
    (PostgreSQL: the statement is its own snapshot, and no BEGIN or ROLLBACK is sent);
    a query that also checks its category runs both statements in one transaction.

    Raises:
        InvalidInput: an unknown query, source or bad parameter, or ``rollup`` where no
            rollup answers; no SQL was run.
        NotFound: ``category_id`` names no category.
        NumberOverflow: a sum over the data passes 2**63 - 1 (SQLite refuses it, or
            turns a product into an inexact float); no figure is answered rounded.
    """
    spec = get_query(name)
    values = bind_values(spec, params)
    rollup = use_rollup(name, values, source)
    stmt = statement(spec, backend_name(engine), values, rollup=rollup)
    if isinstance(engine, Connection):
        return _fetch(engine, spec, stmt, values, rollup)
    with engine.connect() as conn:
        if backend_of(conn).reads_autocommit and not values.get("category_id"):
            conn.execution_options(isolation_level="AUTOCOMMIT")
        return _fetch(conn, spec, stmt, values, rollup)


def reads_rollups(name: str, **params: Any) -> bool:
    """Whether ``run_query(engine, name, **params)`` reads the rollups (``source`` auto)
    by days: its cost then grows with the days asked for, not with the shop's orders.

    Raises:
        InvalidInput: an unknown query or a bad parameter.
    """
    values = bind_values(get_query(name), params)
    return use_rollup(name, values, "auto")


def _fetch(
    conn: Connection,
    spec: QuerySpec,
    stmt: TextualSelect,
    values: Mapping[str, Any],
    rollup: bool,
) -> QueryResult:
    if values.get("category_id"):
        _require_category(conn, values["category_id"])
    plan = _planned(conn, spec.name, rollup)
    with overflow_refused(f"query {spec.name!r}"), room_to_group(conn), plan:
        result = conn.execute(stmt)
        columns = tuple(result.keys())
        if columns != spec.column_names:
            raise RuntimeError(f"{spec.name}.sql returns {columns}, expected {spec.column_names}")
        kinds = [c.kind for c in spec.columns]
        try:
            rows = [
                tuple(_normalize(v, k) for v, k in zip(row, kinds, strict=True)) for row in result
            ]
        except _WideInteger:
            raise number_overflow(f"query {spec.name!r}") from None
    return QueryResult(columns, rows)


def _planned(conn: Connection, name: str, rollup: bool) -> AbstractContextManager[None]:
    """The session settings query ``name`` is planned under, for running and for
    ``explain`` alike: on PostgreSQL no parallel workers for the heavier rollup forms
    (``SERIAL_ROLLUPS``)."""
    return serial_plan(conn) if rollup and name in SERIAL_ROLLUPS else nullcontext()


class _WideInteger(Exception):
    """An integer column came back as a float."""


def _require_category(conn: Connection, category_id: int) -> None:
    found = conn.execute(
        text("select 1 from categories where category_id = :category_id"),
        {"category_id": category_id},
    ).first()
    if found is None:
        raise NotFound(f"no category with id {category_id}")


def _normalize(value: Any, kind: str) -> Any:
    # PostgreSQL and MariaDB return sums of integers as Decimal; SQLite returns int, or a
    # float where arithmetic on integers (2 * a in round_div) passed 2**63 - 1: a figure
    # that may be rounded, refused like a sum that overflows
    if kind == "int" and isinstance(value, float):
        raise _WideInteger(value)
    if kind == "int" and isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise RuntimeError(f"integer column holds a fraction: {value}")
        return int(value)
    return value


def explain(engine: Engine, name: str, *, source: str = "auto", **params: Any) -> list[str]:
    """The backend's plan for query ``name`` with ``params``, one line per row.

    Raises:
        InvalidInput: an unknown query, source or a bad parameter.
    """
    spec = get_query(name)
    backend = backend_of(engine)
    values = bind_values(spec, params)
    rollup = use_rollup(name, values, source)
    if rollup:
        values = {**values, **rollup_values(values)}
    plan = _bound(backend.explain_prefix + sql_text(name, backend.name, rollup=rollup), values)
    with engine.connect() as conn, _planned(conn, name, rollup):
        rows = conn.execute(plan).all()
    return [" | ".join("" if v is None else str(v) for v in row) for row in rows]
