"""``generate``: fill an empty shopdb database with a generated shop, recorded as a run.

The run is recorded in ``generation_runs`` as ``running`` before the first row is
written and marked ``complete`` after the last. Chunks are committed as they load; if
anything fails (an error, Ctrl-C, a lost connection) the partial data is deleted and
the run marked ``failed``. If even that is impossible (the server is gone, the process
was killed), the run stays ``running`` until the next ``generate`` marks it failed.
One generation at a time: a second one on the same database is refused while the first
holds the lock (``generation_lock``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from time import perf_counter
from typing import Protocol

import numpy as np
from sqlalchemy import delete, exists, insert, select, update
from sqlalchemy.engine import Engine

from shopdb.datagen.frames import Frame, Labels, concat
from shopdb.datagen.fulfilment import tracking_numbers
from shopdb.datagen.ids import IdCounter
from shopdb.datagen.load import BulkSession
from shopdb.datagen.params import GENERATOR_VERSION, GenParams, library_versions
from shopdb.datagen.people import user_frame
from shopdb.datagen.pipeline import ChunkRows, Plan, generate_chunks, plan
from shopdb.datagen.rollup_frames import RollupCollector, load_rollups
from shopdb.datagen.scale import USER_CHUNK, format_scale
from shopdb.datagen.stock import inventory_frame, open_ledger, restock_chunk
from shopdb.datagen.timeline import Chunk
from shopdb.db.admin import existing_shop_tables, require_schema
from shopdb.db.lake_log import discard_epoch
from shopdb.db.rollup_schema import ROLLUP_TABLES
from shopdb.db.runlock import exclusive
from shopdb.db.schema import DATA_TABLES, categories, generation_runs
from shopdb.db.types import utcnow
from shopdb.errors import SchemaError

log = logging.getLogger("shopdb.datagen")

Progress = Callable[[str, int], None]
"""Called with a table name and the number of rows just loaded into it."""


@dataclass
class GenerationResult:
    """What a run loaded: its id, rows per table, and the time it took."""

    run_id: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    rollup_seconds: float = 0.0
    """Of ``seconds``, the time spent building the rollups: summing the loaded frames
    and loading the rollup rows (``datagen.rollup_frames``)."""


def generate(
    engine: Engine, params: GenParams, jobs: int = 1, progress: Progress | None = None
) -> GenerationResult:
    """Generate the shop described by ``params`` into the empty database of ``engine``.

    Raises:
        SchemaError: the database has no shopdb schema or already holds shop data;
            nothing is written.

    On any failure the rows loaded so far are deleted and the run is marked
    ``failed``; if the database cannot be reached to do so, the run stays ``running``
    until the next generation marks it failed.

    Raises:
        Busy: another generation holds this database's lock; nothing is written.
    """
    with generation_lock(engine):
        require_empty(engine)
        _fail_abandoned_runs(engine)
        return _generate(engine, params, jobs, progress)


def generation_lock(engine: Engine) -> AbstractContextManager[None]:
    """Hold the database's generation lock (re-entrant), e.g. around a reset and a run.

    Raises:
        Busy: another process is generating into this database.
    """
    return exclusive(engine, "generate", "another 'shopdb generate' or 'demo'")


def _generate(
    engine: Engine, params: GenParams, jobs: int, progress: Progress | None
) -> GenerationResult:
    started = perf_counter()
    result = GenerationResult(run_id=_start_run(engine, params))

    def loaded(table: str, rows: int) -> None:
        result.rows[table] = result.rows.get(table, 0) + rows
        if progress is not None:
            progress(table, rows)

    session = BulkSession(engine)
    collector = RollupCollector()
    try:
        session.prepare()
        load_shop(_Collecting(session, collector), plan(params), jobs, loaded)
        # the rollups from the frames just loaded, through the same bulk path, before
        # the indexes are built and statistics gathered (they cover the rollups too)
        load_rollups(session, collector)
        result.rollup_seconds = collector.seconds
        session.finish()
    except BaseException:
        _abandon(engine, session, result.run_id)
        raise
    finally:
        session.close()
    _finish_run(engine, result.run_id, "complete")
    result.seconds = perf_counter() - started
    return result


class Sink(Protocol):
    """Where generated rows go: a ``BulkSession``, or a benchmark's collector."""

    def write(self, frames: list[Frame]) -> None:
        """Take ``frames`` (parents before children), all or nothing."""


@dataclass
class _Collecting:
    """A sink that hands each write to the bulk session and shows it to the collector."""

    session: Sink
    collector: RollupCollector

    def write(self, frames: list[Frame]) -> None:
        self.session.write(frames)
        self.collector.feed(frames)


def load_shop(session: Sink, shop: Plan, jobs: int, loaded: Progress) -> None:
    """Load the catalogue, the users and every chunk of orders, in that order."""

    def write(frames: list[Frame]) -> None:
        session.write(frames)
        for frame in frames:
            loaded(frame.table, len(frame))

    ids = IdCounter()
    write([shop.catalog.categories, shop.catalog.products])
    for lo in range(0, len(shop.people), USER_CHUNK):
        write([user_frame(shop.people, shop.pools, lo, min(lo + USER_CHUNK, len(shop.people)))])
    ledger, opening = open_ledger(shop.params, shop.catalog)
    write([ids.number(opening)])
    last = len(shop.chunks) - 1
    for rows in generate_chunks(shop.shared, shop.chunks, jobs):

        def restocks(moves: Frame, chunk: Chunk = rows.chunk) -> Frame:
            return restock_chunk(ledger, shop.params, chunk, moves, chunk.index == last)

        write(chunk_frames(rows, ids, restocks))
    write([inventory_frame(ledger)])


def chunk_frames(
    rows: ChunkRows, ids: IdCounter, restocks: Callable[[Frame], Frame]
) -> list[Frame]:
    """A chunk's frames as loaded: stock movements merged with their restocks in time
    order, tracking numbers written out, and every child table's ids numbered by ``ids``.
    """
    out: list[Frame] = []
    for frame in rows.frames:
        if frame.table == "inventory_movements":
            both = concat([restocks(frame), frame])
            order = np.argsort(np.asarray(both.columns["created_at"]), kind="stable")
            frame = both.take(order)
        if frame.table == "shipments":
            carrier = frame.columns["carrier"]
            assert isinstance(carrier, Labels)
            number = np.asarray(frame.columns["tracking_number"], dtype=np.int64)
            frame.columns["tracking_number"] = tracking_numbers(carrier, number)
        out.append(ids.number(frame) if frame.table != "orders" else frame)
    return out


def shop_data_tables(engine: Engine) -> list[str]:
    """The shop tables that hold rows (none when the database has no shopdb tables)."""
    with engine.connect() as conn:
        present = set(existing_shop_tables(conn))
        return [
            t.name
            for t in DATA_TABLES
            if t.name in present and conn.execute(select(exists().select_from(t))).scalar()
        ]


def require_empty(engine: Engine) -> None:
    """Raise ``SchemaError`` unless the database has the schema and no shop data."""
    with engine.connect() as conn:
        require_schema(conn)
    full = shop_data_tables(engine)
    if full:
        raise SchemaError(
            f"the database already holds shop data ({', '.join(full[:3])}"
            f"{', ...' if len(full) > 3 else ''}): generate with reset to replace it"
        )


def clear_shop_data(engine: Engine) -> None:
    """Delete every row of the shop's data tables and rollups in one transaction (runs
    stay).

    Children go before parents, and leaf categories before their parents, so no foreign
    key is ever violated, even on backends that check each row as it goes.
    """
    with engine.begin() as conn:
        discard_epoch(conn)
        for table in ROLLUP_TABLES:
            conn.execute(delete(table))
        for table in reversed(DATA_TABLES):
            if table is categories:
                conn.execute(delete(categories).where(categories.c.parent_id.is_not(None)))
            conn.execute(delete(table))


def _start_run(engine: Engine, params: GenParams) -> int:
    with engine.begin() as conn:
        # the bulk load writes around the services' change log: a lake exported before
        # compares fingerprints next time
        discard_epoch(conn)
        inserted = conn.execute(
            insert(generation_runs).values(
                seed=params.seed,
                scale_factor=format_scale(params.scale.factor),
                end_date=params.end.isoformat(),
                years=params.years,
                generator_version=GENERATOR_VERSION,
                library_versions=library_versions(),
                status="running",
                started_at=utcnow(),
            )
        )
        key = inserted.inserted_primary_key
        assert key is not None
        return int(key[0])


def _fail_abandoned_runs(engine: Engine) -> None:
    """Mark ``failed`` the runs left ``running`` by a process that died: with the lock
    held, no other process can be running them."""
    with engine.begin() as conn:
        conn.execute(
            update(generation_runs)
            .where(generation_runs.c.status == "running")
            .values(status="failed", finished_at=utcnow())
        )


def _finish_run(engine: Engine, run_id: int, status: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(generation_runs)
            .where(generation_runs.c.run_id == run_id)
            .values(status=status, finished_at=utcnow())
        )


def _abandon(engine: Engine, session: BulkSession, run_id: int) -> None:
    """Delete the partial data and mark the run failed, as far as the database lets us."""
    try:
        session.abandon()
        clear_shop_data(engine)
        _finish_run(engine, run_id, "failed")
    except Exception as exc:
        # the database is unreachable: the run stays 'running', which check reports;
        # one line on standard error says why the partial data stayed
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        log.warning(
            "could not clean up the failed run %d: %s: %s", run_id, type(exc).__name__, first
        )
