"""Generated frames into partition files: the lake's end of the generator's ``Sink``.

Orders and their children go to their order's month (order items with the columns
they carry from their order, ``LakeTable.carried``), stock movements to their own
month, the rest to one file each. A sink may own only some months (one task's share of
a generation, ``monthtasks``): rows of other months are then left out, for the task
that owns them to write.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa

from shopdb.datagen.convert import arrow_table
from shopdb.datagen.frames import Frame
from shopdb.lake.arrowdata import PartitionWriter, conform, months_of, split_by_month
from shopdb.lake.layout import LAKE_TABLES, LakeTable, Partition, partition_file

BY_NAME = {t.name: t for t in LAKE_TABLES}


class LakeSink:
    """Takes the generator's frames and writes them into partition files of ``folder``.

    Args:
        folder: the lake folder.
        number: the write's number (in every file name).
        months: the months this sink owns, or ``None`` for all; rows of other months
            are left out.
    """

    def __init__(self, folder: Path, number: int, months: frozenset[str] | None = None) -> None:
        self.folder = folder
        self.number = number
        self.months = months
        self.writers: dict[tuple[str, str], PartitionWriter] = {}
        self.rows: dict[str, int] = {}

    def write(self, frames: list[Frame]) -> None:
        """Write one batch of frames (parents before children, as the generator gives them)."""
        batch_orders: _Orders | None = None
        touched: set[tuple[str, str]] = set()
        for frame in frames:
            if not len(frame):
                continue
            table = BY_NAME[frame.table]
            data = arrow_table(frame)
            if not table.partitioned:
                touched.add(self._write(table, "", conform(table, data)))
                continue
            if table.month_of == ("orders", "created_at") and table.name != "orders":
                data, months = _of_orders(batch_orders, table, data)
            else:
                data = conform(table, data)
                months = months_of(data[table.month_of[1]])  # type: ignore[index]
            if table.name == "orders":
                batch_orders = _Orders(data, months)
            for month, rows in split_by_month(data, months).items():
                if self.months is None or month in self.months:
                    touched.add(self._write(table, month, rows))
        # the generator moves forward in time: months not written to now are flushed, so
        # memory holds at most the current months' pending rows
        for key, writer in self.writers.items():
            if key not in touched:
                writer.flush()

    def _write(self, table: LakeTable, month: str, rows: pa.Table) -> tuple[str, str]:
        key = (table.name, month)
        if key not in self.writers:
            path = self.folder / partition_file(table.name, month, self.number)
            self.writers[key] = PartitionWriter(table, path)
        self.writers[key].write(rows)
        self.rows[table.name] = self.rows.get(table.name, 0) + len(rows)
        return key

    def finish(self) -> dict[tuple[str, str], Partition]:
        """Close every file; the partitions written, by table and month."""
        out = {}
        for (name, month), writer in self.writers.items():
            out[name, month] = writer.close(partition_file(name, month, self.number))
        self.writers = {}
        return out

    def abandon(self) -> None:
        """Close and remove every file still open (after a failure)."""
        for writer in self.writers.values():
            writer.abandon()
        self.writers = {}


class _Orders:
    """A batch's orders: their ids (ascending), months and rows, for their children."""

    def __init__(self, rows: pa.Table, months: np.ndarray) -> None:
        self.rows = rows
        self.ids = np.asarray(rows["order_id"], dtype=np.int64)
        self.months = months


def _of_orders(
    orders: _Orders | None, table: LakeTable, data: pa.Table
) -> tuple[pa.Table, np.ndarray]:
    """A child table's rows with the columns they carry from their orders, and their
    orders' months."""
    if orders is None:
        raise RuntimeError(f"{table.name} rows came without their orders")
    at = _order_positions(orders.ids, data, table)
    positions = pa.array(at, type=pa.int64())
    for name, column in table.carried:
        data = data.append_column(name, orders.rows[column].take(positions))
    return conform(table, data), orders.months[at]


def _order_positions(ids: np.ndarray, data: pa.Table, table: LakeTable) -> np.ndarray:
    """Where each child row's order is among the batch's order ids."""
    wanted = np.asarray(data["order_id"], dtype=np.int64)
    if len(ids) and ids[-1] - ids[0] == len(ids) - 1:
        # a chunk's orders are numbered one after another: an id's place is its offset
        at = wanted - ids[0]
        inside = (at >= 0).all() and (at < len(ids)).all()
        if not inside or (ids[at] != wanted).any():
            raise RuntimeError(f"{table.name} rows refer to orders of another batch")
        return np.asarray(at)
    at = np.searchsorted(ids, wanted)
    if (at >= len(ids)).any() or (ids[np.minimum(at, len(ids) - 1)] != wanted).any():
        raise RuntimeError(f"{table.name} rows refer to orders of another batch")
    return np.asarray(at)
