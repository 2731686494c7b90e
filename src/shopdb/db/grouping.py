"""Session settings an analytical statement runs under, set for the block and set back.

Room for a GROUP BY: MariaDB's in-memory temporary tables.

MariaDB's default ceiling (16 MiB, ``tmp_table_size`` and ``max_heap_table_size``) sends
the grouping of a few hundred thousand rows to an on-disk table, several times slower
(SF 1: cohort retention 40 s against 11 s, the order status funnel 6 s against 3 s). The
ceiling is not an allocation: a statement that needs little uses little. The audit's
checks and the catalogue's queries raise it for their session while they run, and set
it back, so a pooled connection hands the next caller the server's defaults.

No parallel workers for the heavier rollup reads (``queries.sources.SERIAL_ROLLUPS``):
PostgreSQL plans two workers (a parallel append of the product rollups' spans) for a few
thousand rollup rows, and starting them and merging their sorted halves costs more than
it saves (SF 1, two cores: the overview's best sellers card 63-70 ms serial against
101-110 ms, docs/dashboard.md). A read of the base tables keeps them: it scans a million
orders. A setting per table (``parallel_workers = 0``) does not do it: the planner still
runs the spans' scans side by side in a parallel append. The other catalogue reads keep
their single round trip (``test_engine_pool``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from shopdb.db.backend import MYSQL_TEMP_TABLE_BYTES, backend_of


@contextmanager
def room_to_group(conn: Connection) -> Iterator[None]:
    """On MariaDB, let GROUP BY temporary tables stay in memory for the block."""
    if not backend_of(conn).widens_temp_tables:
        yield
        return
    size = MYSQL_TEMP_TABLE_BYTES
    conn.exec_driver_sql(f"SET SESSION tmp_table_size = {size}, max_heap_table_size = {size}")
    try:
        yield
    finally:
        conn.exec_driver_sql("SET SESSION tmp_table_size = DEFAULT, max_heap_table_size = DEFAULT")


@contextmanager
def serial_plan(conn: Connection) -> Iterator[None]:
    """On PostgreSQL, plan the block's statements without parallel workers."""
    setting = backend_of(conn).parallel_workers_setting
    if setting is None:
        yield
        return
    conn.exec_driver_sql(f"SET {setting} = 0")
    try:
        yield
    except BaseException:
        # outside a transaction the setting outlives the statement: set it back if the
        # connection still answers; in a failed transaction the rollback undoes it, and
        # the statement's own error is the one to raise
        with suppress(DBAPIError):
            conn.exec_driver_sql(f"RESET {setting}")
        raise
    conn.exec_driver_sql(f"RESET {setting}")
