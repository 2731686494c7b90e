"""Rebuild the rollups from the base tables, fold the change log into them, report them.

``rebuild`` recomputes every rollup with one ``INSERT ... SELECT`` each (after a bulk
load, or to repair one); ``refresh`` folds the rows appended to the change logs
(``rollup_deltas``, ``customer_day_deltas``, ``customer_cohort_deltas``,
``customer_rf_deltas``, the lake's ``lake_deltas``, and ``order_event_deltas`` into
``order_funnel_daily`` and ``payment_method_daily``) into their tables, and
``product_pairs`` the pairs of the orders ``rollup_deltas`` names, and
``country_sales_daily`` and ``customer_country_days`` their countries (with
``customer_first_two_days`` and ``customer_first_day_totals`` their customers). Neither is needed
for exact answers (readers add the unfolded deltas themselves): folding keeps the change
logs, and so the readers' work, small.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, delete, func, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement

from shopdb.db.backend import backend_name, backend_of
from shopdb.db.lake_log import lake_deltas, lake_versions
from shopdb.db.overflow import overflow_refused
from shopdb.db.rollup_schema import (
    FOLDED_TABLES,
    ROLLUP_TABLES,
    country_sales_daily,
    customer_cohort_deltas,
    customer_cohorts,
    customer_country_days,
    customer_day_deltas,
    customer_first_day_totals,
    customer_first_two_days,
    customer_recency_frequency,
    customer_rf_deltas,
    customer_sales,
    order_event_deltas,
    order_funnel_daily,
    payment_method_daily,
    product_pairs,
    rollup_deltas,
)
from shopdb.db.rollup_schema import customer_days as customer_days_table
from shopdb.queries.sqlfiles import load_sql
from shopdb.rollups import (
    cohorts,
    countries,
    customer_days,
    order_events,
    pairs,
    recency_frequency,
)
from shopdb.rollups.fold import FOLD_BATCH, add_deltas, fold_counts, take_batch
from shopdb.services._tx import run_in_transaction

REBUILD_ORDER = (
    "product_sales_daily",
    "product_sales_monthly",
    "product_sales_yearly",
    "product_sales_total",
    "category_sales_daily",
    "category_sales_monthly",
    "category_sales_yearly",
    "customer_sales",
    "customer_recency_frequency",
    "sales_daily",
    "customer_days",
    "product_pairs",
    "customer_cohorts",
    "order_funnel_daily",
    "payment_method_daily",
    "country_sales_daily",
    "customer_country_days",
    "customer_first_two_days",
    "customer_first_day_totals",
)
"""Each rollup's rebuild statement, in an order where each reads only finished ones."""


def rebuild_sql(name: str, dialect: str) -> str:
    """The ``INSERT ... SELECT`` that rebuilds rollup ``name`` on ``dialect``."""
    return load_sql("shopdb.rollups", f"rebuild_{name}", dialect)


def rebuild(conn: Connection) -> None:
    """Empty every rollup and the change log and compute them again from the base tables.

    Runs in the caller's transaction: on PostgreSQL and SQLite a failure leaves the old
    rollups; so does MariaDB (its DELETE and INSERT are transactional too).
    """
    for table in ROLLUP_TABLES:
        conn.execute(delete(table))
    dialect = backend_name(conn)
    for name in REBUILD_ORDER:
        conn.execute(text(rebuild_sql(name, dialect)))


def rebuild_all(engine: Engine) -> None:
    """``rebuild`` in a transaction of its own, then fresh planner statistics.

    Raises:
        NumberOverflow: a rollup's sum passes 2**63 - 1 (a customer's lifetime spend, say):
            the rebuild is rolled back and the rollups are as they were.
    """
    with overflow_refused("rollups rebuild"), engine.begin() as conn:
        rebuild(conn)
    if backend_of(engine).analyze_after_load:
        # the planner would otherwise see the rollups as empty until autovacuum runs
        with engine.begin() as conn:
            for table in ROLLUP_TABLES:
                conn.exec_driver_sql(f"ANALYZE {table.name}")


def refresh(engine: Engine) -> int:
    """Fold every delta visible now into the rollups; return how many were folded.

    Each batch is one transaction that deletes the deltas it folds (``DELETE ...
    RETURNING``, so exactly the rows it read) and adds them to the folded rows: a reader
    sees either both or neither. Services appending deltas meanwhile are not blocked.
    """
    isolation = backend_of(engine).fold_isolation
    if isolation is not None:
        # no gap locks: the DELETE must not stop checkouts appending new deltas
        engine = engine.execution_options(isolation_level=isolation)
    return (
        _fold_all(engine, _fold_batch)
        + _fold_all(engine, customer_days.fold)
        + _fold_all(engine, cohorts.fold)
        + _fold_all(engine, order_events.fold)
        + _fold_all(engine, recency_frequency.fold)
        + fold_lake_log(engine)
    )


def fold_lake_log(engine: Engine) -> int:
    """Fold the lake's change log (``db.lake_log``) into ``lake_versions``, a batch per
    transaction as ``refresh`` does; return how many log rows were folded.

    A partition's version (folded plus pending) is the same before and after: a reader
    sees each batch either in the log or in the counts. Every lake export folds first;
    the refresher folds too, so the log stays small while no export runs.
    """
    isolation = backend_of(engine).fold_isolation
    if isolation is not None:
        engine = engine.execution_options(isolation_level=isolation)
    return _fold_all(engine, _fold_lake_batch)


def _fold_lake_batch(conn: Connection) -> int:
    keys = ("table_name", "month_index")
    return fold_counts(conn, lake_deltas, lake_versions, keys, "change_count")


def _fold_all(engine: Engine, fold_batch: Callable[[Connection], int]) -> int:
    """Run ``fold_batch`` a transaction at a time until a batch comes back short."""
    folded = 0
    while True:
        # retried like a service: SQLite's busy writers, a deadlock on a server
        count = run_in_transaction(engine, fold_batch)
        folded += count
        if count < FOLD_BATCH:
            return folded


def _fold_batch(conn: Connection) -> int:
    c = rollup_deltas.c
    rows = take_batch(
        conn,
        rollup_deltas,
        c.day_index,
        c.month_index,
        c.product_id,
        c.order_count,
        c.units,
        c.revenue_cents,
        c.new_customer_count,
        c.refunded_units,
        c.new_revenue_cents,
        c.order_id,
    )
    add_deltas(conn, [row[:-1] for row in rows])
    # the orders' own rows name them: their pairs, in the same transaction
    named = [row for row in rows if row[-1] is not None]
    pairs.fold_orders(conn, [(row[-1], row[0], row[3]) for row in named])
    # and their countries: orders, revenue and the customer-countries' links
    countries.fold_orders(conn, [(row[-1], row[0], row[3], row[5]) for row in named])
    return len(rows)


@dataclass(frozen=True)
class RollupStatus:
    """One rollup table: its rows, and the change-log rows not yet folded into it."""

    name: str
    row_count: int
    pending_deltas: int
    oldest_pending_at: datetime | None


def status(engine: Engine) -> list[RollupStatus]:
    """Each rollup's row count and how much of the change log awaits folding."""
    with engine.connect() as conn:
        pending, oldest = conn.execute(
            select(func.count(), func.min(rollup_deltas.c.created_at))
        ).one()
        out = []
        for table in (*FOLDED_TABLES, customer_sales):
            rows = conn.execute(select(func.count()).select_from(table)).scalar_one()
            folded = table is not customer_sales
            out.append(
                RollupStatus(
                    table.name,
                    int(rows),
                    int(pending) if folded else 0,
                    oldest if folded else None,
                )
            )
        # customer_days folds a change log of its own; product_pairs the orders' rows
        out.append(_status(conn, customer_days_table, customer_day_deltas))
        named = rollup_deltas.c.order_id.is_not(None)
        out.append(_status(conn, product_pairs, rollup_deltas, named))
        out.append(_status(conn, country_sales_daily, rollup_deltas, named))
        out.append(_status(conn, customer_country_days, rollup_deltas, named))
        out.append(_status(conn, customer_first_two_days, rollup_deltas, named))
        out.append(_status(conn, customer_first_day_totals, rollup_deltas, named))
        out.append(_status(conn, customer_cohorts, customer_cohort_deltas))
        out.append(_status(conn, customer_recency_frequency, customer_rf_deltas))
        # the order-event rollups share one log: a row with a method is a payment's
        events = order_event_deltas.c
        out.append(_status(conn, order_funnel_daily, order_event_deltas, events.method.is_(None)))
        out.append(
            _status(conn, payment_method_daily, order_event_deltas, events.method.is_not(None))
        )
    return out


def _status(
    conn: Connection, table: Table, log: Table, *where: ColumnElement[bool]
) -> RollupStatus:
    """``table``'s rows, and the rows of ``log`` (those matching ``where``) awaiting it."""
    rows = conn.execute(select(func.count()).select_from(table)).scalar_one()
    waiting, first = conn.execute(
        select(func.count(), func.min(log.c.created_at)).where(*where)
    ).one()
    return RollupStatus(table.name, int(rows), int(waiting), first)
