"""The lake's change log: which partitions each write transaction touched.

A service transaction notes, as it writes, the ``(table, month)`` pairs of the lake it
touches (``touch``: an order's rows by the order's UTC month, a stock movement by its
own, ``-1`` for a table the lake keeps whole); just before COMMIT ``run_in_transaction``
appends one ``lake_deltas`` row per pair in one multi-row INSERT (``flush``), so the log
rows become visible exactly when the writes they describe do, also to a snapshot that
opens while the transaction is still running. The refresher and every export fold the
log (``fold``: ``DELETE ... RETURNING`` of a batch, added to ``lake_versions`` in the
same transaction), so a reader sees each change either folded or pending, never both.

A partition's *version*, as a snapshot sees it, is the number of committed write
transactions that touched it (folded plus pending, ``versions``). It only ever grows, and
it moves whenever a write to the partition becomes visible, whatever its ids, its times
or its commit order. A lake stores each partition's version in its manifest; the next
export rewrites the partitions whose version moved. Nothing is consumed, so any number
of lakes exported from one database each compare with their own manifest.

What the log cannot see: rows written around the services (``generate``, a user's own
SQL). ``generate`` discards the log's *epoch* (``lake_versions``' row ``("*", -1)``, a
random number the first export draws), so a lake exported before it falls back to the
fingerprint comparison; SQL written by hand is found only by ``lake export
--fingerprints`` (or rewritten by ``--full``).

Neither table has a row shared by two checkouts: the log is append-only and only the
fold, one batch at a time, updates ``lake_versions`` (as the rollups' deltas, docs/schema.md).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Column, Integer, String, Table, delete, func, insert, select, union_all
from sqlalchemy.engine import Connection

from shopdb.db.backend import backend_of
from shopdb.db.schema import MYSQL_TABLE_OPTIONS, metadata
from shopdb.db.types import Cents, Id

WHOLE = -1
"""The ``month_index`` of a table the lake keeps whole (users, products, ...)."""

EPOCH = ("*", WHOLE)
"""The key of ``lake_versions``' row naming the log: a lake compares versions only with
the epoch it was exported under."""

lake_deltas = Table(
    "lake_deltas",
    metadata,
    Column("delta_id", Id, primary_key=True),
    Column("table_name", String(40), nullable=False),
    # year * 12 + month - 1 of the UTC month the row's partition is named by; -1: whole
    Column("month_index", Integer(), nullable=False),
    Column("change_count", Cents, nullable=False),
    **MYSQL_TABLE_OPTIONS,
)

lake_versions = Table(
    "lake_versions",
    metadata,
    Column("table_name", String(40), primary_key=True),
    Column("month_index", Integer(), primary_key=True, autoincrement=False),
    Column("change_count", Cents, nullable=False),
    **MYSQL_TABLE_OPTIONS,
)

_TOUCHED = "shopdb_lake_touched"

LOG_OPTION = "shopdb_lake_log"
"""Execution option: ``False`` on an engine stops its transactions logging (the
benchmark of the log's cost only; ``bench/lake_log_cost.py`` discards the epoch after)."""


def month_index(at: datetime) -> int:
    """``year * 12 + month - 1`` of ``at``'s UTC month (naive: taken as UTC)."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC)
    return at.year * 12 + at.month - 1


@contextmanager
def recording(conn: Connection) -> Iterator[None]:
    """Collect ``touch`` calls on ``conn`` for the duration of one transaction attempt."""
    conn.info[_TOUCHED] = set()
    try:
        yield
    finally:
        # a connection lost mid-COMMIT refuses even ``info`` until rolled back: leave
        # its notes, it is discarded and the next attempt records on a fresh one
        if not conn.invalidated:
            conn.info.pop(_TOUCHED, None)


def touch(conn: Connection, at: datetime | None, *tables: Table) -> None:
    """Note that this transaction writes ``tables``' partition of ``at``'s month
    (``at=None``: tables kept whole). No SQL: ``flush`` writes the notes before COMMIT.
    Outside a service transaction (no ``recording``) it does nothing."""
    touched: set[tuple[str, int]] | None = conn.info.get(_TOUCHED)
    if touched is None:
        return
    month = WHOLE if at is None else month_index(at)
    touched.update((table.name, month) for table in tables)


def flush(conn: Connection) -> None:
    """Append this transaction's notes to ``lake_deltas``: one INSERT, none if no notes."""
    touched: set[tuple[str, int]] | None = conn.info.get(_TOUCHED)
    if not touched or conn.get_execution_options().get(LOG_OPTION, True) is False:
        return
    conn.execute(
        insert(lake_deltas),
        [{"table_name": t, "month_index": m, "change_count": 1} for t, m in sorted(touched)],
    )
    touched.clear()


def versions(conn: Connection) -> dict[tuple[str, int], int]:
    """Each touched ``(table, month_index)`` and its version, as ``conn``'s snapshot sees
    it (folded plus pending); the epoch's row is left out."""
    both = union_all(
        *(
            select(t.c.table_name, t.c.month_index, t.c.change_count)
            for t in (lake_versions, lake_deltas)
        )
    ).subquery()
    rows = conn.execute(
        select(both.c.table_name, both.c.month_index, func.sum(both.c.change_count)).group_by(
            both.c.table_name, both.c.month_index
        )
    ).all()
    return {(str(t), int(m)): int(n) for t, m, n in rows if (t, m) != EPOCH}


def epoch(conn: Connection) -> int | None:
    """The log's epoch, or ``None`` when no export has drawn one since it was discarded."""
    found = conn.execute(
        select(lake_versions.c.change_count).where(
            lake_versions.c.table_name == EPOCH[0], lake_versions.c.month_index == EPOCH[1]
        )
    ).scalar()
    return None if found is None else int(found)


def draw_epoch(conn: Connection) -> None:
    """Give the log an epoch if it has none (in the caller's transaction); of two
    exports drawing at once, the first to commit wins and the other keeps it."""
    if epoch(conn) is None:
        value = secrets.randbelow(2**62) + 1
        row = {"table_name": EPOCH[0], "month_index": EPOCH[1], "change_count": value}
        conn.execute(backend_of(conn).insert_or_ignore(lake_versions), row)


def discard_epoch(conn: Connection) -> None:
    """Forget the epoch: the next export compares fingerprints, then draws a new one.

    For writers that bypass the services (the generator's bulk load).
    """
    conn.execute(
        delete(lake_versions).where(
            lake_versions.c.table_name == EPOCH[0], lake_versions.c.month_index == EPOCH[1]
        )
    )


def touch_months(conn: Connection, ats: Iterable[datetime], table: Table) -> None:
    """``touch`` ``table`` in the month of each of ``ats``."""
    for at in ats:
        touch(conn, at, table)
