"""``generate``: fill an empty shopdb database with a generated shop, recorded as a run.

The run is recorded in ``generation_runs`` as ``running`` before the first row is
written and marked ``complete`` after the last. Chunks are committed as they load; if
anything fails (an error, Ctrl-C, a lost connection) the partial data is deleted and
the run marked ``failed``. If even that is impossible (the server is gone), the run
stays ``running``, which ``shopdb check`` reports as an incomplete generation.
"""

from __future__ import annotations

from collections.abc import Callable
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
from shopdb.datagen.scale import USER_CHUNK, format_scale
from shopdb.datagen.stock import inventory_frame, open_ledger, restock_chunk
from shopdb.datagen.timeline import Chunk
from shopdb.db.admin import require_schema
from shopdb.db.schema import DATA_TABLES, categories, generation_runs
from shopdb.db.types import utcnow
from shopdb.errors import SchemaError
from shopdb.rollups.build import rebuild_all

Progress = Callable[[str, int], None]
"""Called with a table name and the number of rows just loaded into it."""


@dataclass
class GenerationResult:
    """What a run loaded: its id, rows per table, and the time it took."""

    run_id: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    rollup_seconds: float = 0.0
    """Of ``seconds``, the time spent building the rollups after the load."""


def generate(
    engine: Engine, params: GenParams, jobs: int = 1, progress: Progress | None = None
) -> GenerationResult:
    """Generate the shop described by ``params`` into the empty database of ``engine``.

    Raises:
        SchemaError: the database has no shopdb schema or already holds shop data;
            nothing is written.

    On any failure the rows loaded so far are deleted and the run is marked
    ``failed``; if the database cannot be reached to do so, the run stays ``running``.
    """
    require_empty(engine)
    started = perf_counter()
    result = GenerationResult(run_id=_start_run(engine, params))

    def loaded(table: str, rows: int) -> None:
        result.rows[table] = result.rows.get(table, 0) + rows
        if progress is not None:
            progress(table, rows)

    session = BulkSession(engine)
    try:
        session.prepare()
        load_shop(session, plan(params), jobs, loaded)
        session.finish()
        built = perf_counter()
        rebuild_all(engine)
        result.rollup_seconds = perf_counter() - built
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

        write(_chunk_frames(rows, ids, restocks))
    write([inventory_frame(ledger)])


def _chunk_frames(
    rows: ChunkRows, ids: IdCounter, restocks: Callable[[Frame], Frame]
) -> list[Frame]:
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


def require_empty(engine: Engine) -> None:
    """Raise ``SchemaError`` unless the database has the schema and no shop data."""
    with engine.connect() as conn:
        require_schema(conn)
        full = [
            t.name for t in DATA_TABLES if conn.execute(select(exists().select_from(t))).scalar()
        ]
    if full:
        raise SchemaError(
            f"the database already holds shop data ({', '.join(full[:3])}"
            f"{', ...' if len(full) > 3 else ''}): generate with reset to replace it"
        )


def clear_shop_data(engine: Engine) -> None:
    """Delete every row of the shop's data tables in one transaction (runs stay).

    Children go before parents, and leaf categories before their parents, so no foreign
    key is ever violated, even on backends that check each row as it goes.
    """
    with engine.begin() as conn:
        for table in reversed(DATA_TABLES):
            if table is categories:
                conn.execute(delete(categories).where(categories.c.parent_id.is_not(None)))
            conn.execute(delete(table))


def _start_run(engine: Engine, params: GenParams) -> int:
    with engine.begin() as conn:
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
        session.restore()
        clear_shop_data(engine)
        _finish_run(engine, run_id, "failed")
    except Exception:
        # the database is unreachable: the run stays 'running', which check reports
        return
