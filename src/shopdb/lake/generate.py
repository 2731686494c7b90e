"""``shopdb generate --to-lake``: a generated shop written straight into a lake.

The generator's plan and chunks are those ``datagen.generate.load_shop`` loads into a
database, so the rows are exactly the same for the same parameters; only the
destination differs, and the chunks are generated and written in tasks of whole months
by ``jobs`` processes (``monthtasks``, ``taskpool``), which gives the same files for any
``jobs``. The main process writes the catalogue, the users, the stock and the one
``generation_runs`` row a database generation would record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from time import perf_counter

import numpy as np

from shopdb.datagen.frames import Frame
from shopdb.datagen.ids import IdCounter
from shopdb.datagen.params import GENERATOR_VERSION, GenParams, library_versions
from shopdb.datagen.people import user_frame
from shopdb.datagen.pipeline import Plan, plan
from shopdb.datagen.scale import USER_CHUNK, format_scale
from shopdb.datagen.stock import inventory_frame, open_ledger
from shopdb.lake.layout import LAKE_TABLES, LakeError, Manifest, Partition
from shopdb.lake.monthtasks import Sequencer, month_tasks
from shopdb.lake.sink import LakeSink
from shopdb.lake.taskpool import TaskRunner, Work
from shopdb.lake.writing import LakeWriting

Progress = Callable[[str, int], None]


@dataclass
class LakeGeneration:
    """What a generation into a lake wrote: rows per table and the time it took."""

    manifest: Manifest
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def generate_lake(
    params: GenParams,
    folder: Path,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
    task_orders: int | None = None,
) -> LakeGeneration:
    """Generate the shop of ``params`` into a new lake at ``folder``.

    ``jobs`` processes generate and write the months (``task_orders`` orders' worth at
    a time, by default ``monthtasks.month_tasks``'s choice); the files are the same for
    any ``jobs`` and ``task_orders``.

    Raises:
        LakeError: ``folder`` already holds a lake or other files; nothing is changed.

    On any failure (Ctrl-C included) the worker processes are stopped, the files
    written so far are removed and no manifest is written; a folder this call created
    is removed.
    """
    started_at = datetime.now(UTC)
    started = perf_counter()
    with LakeWriting(folder) as writing:
        if writing.previous is not None:
            raise LakeError(f"{str(folder)!r} already holds a lake: generate into a new folder")
        source = {
            "kind": "generator",
            "seed": params.seed,
            "scale_factor": format_scale(params.scale.factor),
            "end_date": params.end.isoformat(),
            "years": params.years,
            "generator_version": GENERATOR_VERSION,
        }
        result = LakeGeneration(writing.new_manifest(source))

        def loaded(rows: dict[str, int]) -> None:
            for table, count in rows.items():
                result.rows[table] = result.rows.get(table, 0) + count
                if progress is not None:
                    progress(table, count)

        sink = LakeSink(folder, writing.number)
        try:
            with TaskRunner(jobs) as runner:
                shop = plan(params)
                target = (folder, writing.number)
                parts, expected = _write_shop(shop, sink, target, (runner, task_orders), loaded)
            loaded(sink.rows)
            sink.write([_run_frame(params, started_at)])
            parts.update(sink.finish())
        except BaseException:
            sink.abandon()
            raise
        result.rows = {t.name: result.rows[t.name] for t in LAKE_TABLES if t.name in result.rows}
        by_table: dict[str, dict[str, Partition]] = {t.name: {} for t in LAKE_TABLES}
        for (name, month), part in parts.items():
            by_table[name][month] = part
        for name, count in expected.items():
            written = sum(p.row_count for p in by_table[name].values())
            if written != count:
                raise RuntimeError(f"{written} {name} rows were written, {count} generated")
        for table in LAKE_TABLES:
            result.manifest.tables[table.name] = writing.entry(table, by_table[table.name])
        result.manifest.watermark = {"generated_at": started_at.isoformat(timespec="seconds")}
        writing.commit(result.manifest)
    result.seconds = perf_counter() - started
    return result


def _write_shop(
    shop: Plan,
    sink: LakeSink,
    target: tuple[Path, int],
    split: tuple[TaskRunner, int | None],
    loaded: Callable[[dict[str, int]], None],
) -> tuple[dict[tuple[str, str], Partition], dict[str, int]]:
    """Write every table but ``generation_runs``: the tasks' months and the main sink's.

    Returns the partitions written by the tasks and the rows generated per table.
    """
    runner, task_orders = split
    tasks = month_tasks(shop.params, shop.shared.counts, shop.chunks, task_orders)
    ledger, opening = open_ledger(shop.params, shop.catalog)
    ids = IdCounter()
    sequencer = Sequencer(ledger, ids, shop.chunks, tasks)
    sequencer.add(ids.number(opening))
    parts: dict[tuple[str, str], Partition] = {}
    for done in runner.run(shop.shared, tasks, sequencer, target, _own_work(shop, sink)):
        parts.update(done.partitions)
        loaded(done.rows)
    sink.write(sequencer.left_over())
    sink.write([inventory_frame(ledger)])
    return parts, {"orders": sum(c.size for c in shop.chunks), **ids.last}


def _own_work(shop: Plan, sink: LakeSink) -> Iterator[Work]:
    """The main process's writes while the tasks run: the catalogue, then users."""
    yield lambda: sink.write([shop.catalog.categories, shop.catalog.products])
    for lo in range(0, len(shop.people), USER_CHUNK):
        yield partial(_write_users, shop, sink, lo, min(lo + USER_CHUNK, len(shop.people)))


def _write_users(shop: Plan, sink: LakeSink, lo: int, hi: int) -> None:
    sink.write([user_frame(shop.people, shop.pools, lo, hi)])


def _run_frame(params: GenParams, started_at: datetime) -> Frame:
    now = int(datetime.now(UTC).timestamp())
    columns = {
        "run_id": np.array([1], dtype=np.int64),
        "seed": np.array([params.seed], dtype=np.int64),
        "scale_factor": np.array([format_scale(params.scale.factor)], dtype=object),
        "end_date": np.array([params.end.isoformat()], dtype=object),
        "years": np.array([params.years], dtype=np.int64),
        "generator_version": np.array([GENERATOR_VERSION], dtype=object),
        "library_versions": np.array([library_versions()], dtype=object),
        "status": np.array(["complete"], dtype=object),
        "started_at": np.array([int(started_at.timestamp())], dtype=np.int64),
        "finished_at": np.array([now], dtype=np.int64),
    }
    return Frame("generation_runs", dict(columns))
