"""The event feed: status changes, payments and stock movements, each delivered exactly once.

The services already write a ledger row in every transaction that changes an order,
takes money or moves stock (``order_status_history``, ``payments``,
``inventory_movements``); the feed reads those three, so no service changes for it.

Ids are allocated when a row is inserted but become visible when its transaction
commits, so a row with a smaller id can appear after a larger one was read. A cursor over
ids alone would skip it. The feed's state therefore keeps, per ledger, the high-water id
read so far and the ids below it that were missing when read (the gaps), each with the
time it was first seen missing. Every read looks for the gaps again and delivers those
that have appeared; a gap is forgotten once it is older than the longest a transaction
can stay open (then it was a rollback, or ids the database skipped). In-flight ids are
the most recent ones, so when more than ``MAX_GAPS`` are missing the highest are kept.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement

from shopdb.db.schema import inventory_movements, order_status_history, payments
from shopdb.services._tx import run_in_transaction

MAX_GAPS = 200
"""Missing ids remembered per ledger."""

_SOURCES: dict[str, tuple[str, ColumnElement[Any], ColumnElement[Any], Select[Any]]] = {
    "status": (
        "order.status_changed",
        order_status_history.c.history_id,
        order_status_history.c.changed_at,
        select(
            order_status_history.c.history_id,
            order_status_history.c.order_id,
            order_status_history.c.from_status,
            order_status_history.c.to_status,
            order_status_history.c.changed_at,
        ),
    ),
    "payment": (
        "payment.recorded",
        payments.c.payment_id,
        payments.c.created_at,
        select(
            payments.c.payment_id,
            payments.c.order_id,
            payments.c.amount_cents,
            payments.c.method,
            payments.c.status,
            payments.c.created_at,
        ),
    ),
    "stock": (
        "stock.moved",
        inventory_movements.c.movement_id,
        inventory_movements.c.created_at,
        select(
            inventory_movements.c.movement_id,
            inventory_movements.c.product_id,
            inventory_movements.c.order_id,
            inventory_movements.c.quantity_delta,
            inventory_movements.c.reason,
            inventory_movements.c.created_at,
        ),
    ),
}
SOURCES = tuple(_SOURCES)


@dataclass
class Position:
    """Where a reader stands in one ledger: the high-water id and the ids missing below it."""

    high_water: int = 0
    gaps: dict[int, float] = field(default_factory=dict)
    """Missing id -> when it was first seen missing (seconds since the epoch)."""


@dataclass
class FeedState:
    """A reader's position in every ledger; what a feed cursor carries."""

    positions: dict[str, Position] = field(default_factory=lambda: {s: Position() for s in SOURCES})

    def dump(self) -> list[Any]:
        """A compact JSON-serialisable form."""
        return [
            [p.high_water, [[i, round(t)] for i, t in sorted(p.gaps.items())]]
            for p in (self.positions[s] for s in SOURCES)
        ]

    @classmethod
    def load(cls, data: Any) -> FeedState:
        """The state ``dump`` wrote.

        Raises:
            ValueError: ``data`` is not of that form.
        """
        if not isinstance(data, list) or len(data) != len(SOURCES):
            raise ValueError("malformed feed state")
        positions = {}
        for source, (high_water, gaps) in zip(SOURCES, data, strict=True):
            positions[source] = Position(int(high_water), {int(i): float(t) for i, t in gaps})
        return cls(positions)


@dataclass(frozen=True)
class Event:
    """One ledger row as an event."""

    event_id: str
    type: str
    at: datetime
    data: dict[str, Any]


def read_events(
    engine: Engine, state: FeedState, limit: int, *, now: float, gap_ttl_s: float
) -> tuple[list[Event], FeedState, bool]:
    """The next events after ``state``, oldest first; the new state; whether more are waiting.

    Read-only, one transaction. Events of different ledgers are merged by time; within a
    ledger, found gaps come first, then new rows by id.
    """

    def body(conn: Connection) -> tuple[list[Event], FeedState, bool]:
        lists = {s: _candidates(conn, s, state.positions[s], limit) for s in SOURCES}
        merged = heapq.merge(
            *(
                [(e.at, i, n, s, e) for n, e in enumerate(lists[s][0])]
                for i, s in enumerate(SOURCES)
            ),
            key=lambda item: (item[0], item[1], item[2]),
        )
        taken = [item for _, item in zip(range(limit), merged, strict=False)]
        counts = {s: sum(1 for item in taken if item[3] == s) for s in SOURCES}
        new_state = FeedState(
            {
                s: _advance(
                    state.positions[s], lists[s][0][: counts[s]], lists[s][1], now, gap_ttl_s
                )
                for s in SOURCES
            }
        )
        more = any(len(lists[s][0]) > counts[s] or lists[s][2] for s in SOURCES)
        return [item[4] for item in taken], new_state, more

    return run_in_transaction(engine, body, write=False)


def _candidates(
    conn: Connection, source: str, position: Position, limit: int
) -> tuple[list[Event], set[int], bool]:
    """Found gap rows then new rows (at most ``limit``); the new rows' ids; more beyond?"""
    kind, key, _at, stmt = _SOURCES[source]
    found: list[Event] = []
    if position.gaps:
        rows = conn.execute(stmt.where(key.in_(sorted(position.gaps))).order_by(key)).all()
        found = [_event(source, kind, r) for r in rows]
    rows = conn.execute(stmt.where(key > position.high_water).order_by(key).limit(limit + 1)).all()
    fresh = [_event(source, kind, r) for r in rows[:limit]]
    ids = {int(r[0]) for r in rows[:limit]}
    return found + fresh, ids, len(rows) > limit


def _event(source: str, kind: str, row: Any) -> Event:
    values = dict(row._mapping)
    key = int(row[0])
    at = values.pop("changed_at", None) or values.pop("created_at")
    values.pop("created_at", None)
    return Event(f"{source}-{key}", kind, at, values)


def _advance(
    position: Position, delivered: Iterable[Event], fresh_ids: set[int], now: float, ttl: float
) -> Position:
    gaps = dict(position.gaps)
    high_water = position.high_water
    for event in delivered:
        key = int(event.event_id.rsplit("-", 1)[1])
        if key in gaps:
            del gaps[key]
        elif key in fresh_ids:
            high_water = max(high_water, key)
    # ids passed over on the way up are missing now: a transaction may still commit them
    start = max(position.high_water + 1, high_water - 10 * MAX_GAPS)
    for key in range(start, high_water):
        if key not in fresh_ids and key not in gaps:
            gaps[key] = now
    kept = {k: t for k, t in gaps.items() if now - t <= ttl}
    if len(kept) > MAX_GAPS:
        kept = dict(sorted(kept.items())[-MAX_GAPS:])
    return Position(high_water, kept)
