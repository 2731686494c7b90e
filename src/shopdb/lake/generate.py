"""``shopdb generate --to-lake``: a generated shop written straight into a lake.

The generator's frames are taken where they would go to a database (the ``Sink`` of
``datagen.generate.load_shop``), so the rows are exactly those ``generate`` loads for
the same parameters; only the destination differs. Orders and their children go to
their order's month, stock movements to their own month, the rest to one file each.
``generation_runs`` gets the one row a database generation would record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter

import numpy as np
import pyarrow as pa

from shopdb.datagen.convert import arrow_table
from shopdb.datagen.frames import Frame
from shopdb.datagen.generate import load_shop
from shopdb.datagen.params import GENERATOR_VERSION, GenParams, library_versions
from shopdb.datagen.pipeline import plan
from shopdb.datagen.scale import format_scale
from shopdb.lake.arrowdata import PartitionWriter, conform, months_of, split_by_month
from shopdb.lake.layout import (
    LAKE_TABLES,
    LakeError,
    LakeTable,
    Manifest,
    Partition,
    partition_file,
)
from shopdb.lake.writing import LakeWriting

Progress = Callable[[str, int], None]
_BY_NAME = {t.name: t for t in LAKE_TABLES}


@dataclass
class LakeGeneration:
    """What a generation into a lake wrote: rows per table and the time it took."""

    manifest: Manifest
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class LakeSink:
    """Takes the generator's frames and writes them into partition files."""

    def __init__(self, writing: LakeWriting) -> None:
        self.writing = writing
        self.writers: dict[tuple[str, str], PartitionWriter] = {}

    def write(self, frames: list[Frame]) -> None:
        """Write one batch of frames (parents before children, as the generator gives them)."""
        order_months: tuple[np.ndarray, np.ndarray] | None = None
        touched: set[tuple[str, str]] = set()
        for frame in frames:
            if not len(frame):
                continue
            table = _BY_NAME[frame.table]
            data = conform(table, arrow_table(frame))
            if not table.partitioned:
                touched.add(self._write(table, "", data))
                continue
            if table.name == "orders":
                ids = np.asarray(data["order_id"], dtype=np.int64)
                order_months = (ids, months_of(data["created_at"]))
            if table.month_of == ("orders", "created_at") and table.name != "orders":
                months = _months_of_orders(order_months, data, table)
            else:
                months = months_of(data[table.month_of[1]])  # type: ignore[index]
            for month, rows in split_by_month(data, months).items():
                touched.add(self._write(table, month, rows))
        # the generator moves forward in time: months not written to now are flushed, so
        # memory holds at most the current months' pending rows
        for key, writer in self.writers.items():
            if key not in touched:
                writer.flush()

    def _write(self, table: LakeTable, month: str, rows: pa.Table) -> tuple[str, str]:
        key = (table.name, month)
        if key not in self.writers:
            file = partition_file(table.name, month, self.writing.number)
            self.writers[key] = self.writing.open(table, file)
        self.writers[key].write(rows)
        return key

    def finish(self) -> dict[str, dict[str, Partition]]:
        """Close every file; the partitions of each table, by month."""
        out: dict[str, dict[str, Partition]] = {t.name: {} for t in LAKE_TABLES}
        for (name, month), writer in self.writers.items():
            out[name][month] = self.writing.close(
                writer, partition_file(name, month, self.writing.number)
            )
        return out


def _months_of_orders(
    order_months: tuple[np.ndarray, np.ndarray] | None, data: pa.Table, table: LakeTable
) -> np.ndarray:
    if order_months is None:
        raise RuntimeError(f"{table.name} rows came without their orders")
    ids, months = order_months
    wanted = np.asarray(data["order_id"], dtype=np.int64)
    at = np.searchsorted(ids, wanted)
    if (at >= len(ids)).any() or (ids[np.minimum(at, len(ids) - 1)] != wanted).any():
        raise RuntimeError(f"{table.name} rows refer to orders of another batch")
    return months[at]


def generate_lake(
    params: GenParams, folder: Path, *, jobs: int = 1, progress: Progress | None = None
) -> LakeGeneration:
    """Generate the shop of ``params`` into a new lake at ``folder``.

    Raises:
        LakeError: ``folder`` already holds a lake or other files; nothing is changed.

    On any failure (Ctrl-C included) the files written so far are removed and no
    manifest is written; a folder this call created is removed.
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
        sink = LakeSink(writing)

        def loaded(table: str, rows: int) -> None:
            result.rows[table] = result.rows.get(table, 0) + rows
            if progress is not None:
                progress(table, rows)

        load_shop(sink, plan(params), jobs, loaded)
        sink.write([_run_frame(params, started_at)])
        parts = sink.finish()
        for table in LAKE_TABLES:
            result.manifest.tables[table.name] = writing.entry(table, parts[table.name])
        result.manifest.watermark = {"generated_at": started_at.isoformat(timespec="seconds")}
        writing.commit(result.manifest)
    result.seconds = perf_counter() - started
    return result


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
