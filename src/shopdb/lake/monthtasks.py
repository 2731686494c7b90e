"""``generate --to-lake`` in tasks of whole months, which any number of processes can run.

A chunk's rows depend only on the chunk, but three things about them depend on every
chunk before it: the ids of the child tables (numbered in chunk order), the restocks
(sized from the stock every earlier sale left) and the stock movements a chunk dates
after its own months (returns of orders cancelled days later). A task is a run of
chunks covering whole months (``month_tasks``), so each partition file is one task's,
and runs in three steps:

1. ``generate_task`` (any process): the chunks' rows, and per chunk a ``ChunkDemand``:
   its row counts, its demand on the stock (small arrays per product) and the movements
   it dates past the task's months (they sort last in the chunk, see ``_spilled``);
2. ``Sequencer.number`` (the main process, tasks in order): the restocks and id offsets
   of each chunk, from the ledger and counters every earlier task advanced; the spilled
   movements get their ids here and wait for the task that owns their month;
3. ``write_task`` (the process of step 1): number, merge and write the task's rows,
   the spilled movements of earlier tasks first (their ids are lower).

Step 2 is cheap and needs only step 1 of earlier tasks, so while one process writes a
task, another generates the next. The rows are those ``datagen.generate.load_shop``
numbers one chunk after another, whatever runs the tasks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from shopdb.datagen.frames import Frame
from shopdb.datagen.generate import chunk_frames
from shopdb.datagen.ids import ID_COLUMNS, IdCounter
from shopdb.datagen.orders import Shared
from shopdb.datagen.params import DAY, GenParams
from shopdb.datagen.pipeline import ChunkRows, chunk_rows
from shopdb.datagen.stock import Demand, Ledger, chunk_demand, restock
from shopdb.datagen.timeline import Chunk
from shopdb.lake.arrowdata import month_label, month_numbers
from shopdb.lake.layout import Partition
from shopdb.lake.sink import LakeSink

MOVEMENTS = "inventory_movements"


@dataclass(frozen=True)
class Task:
    """Chunks covering the months ``first .. last`` (months since 1970-01), no other's."""

    index: int
    chunks: tuple[Chunk, ...]
    first: int
    last: int

    @property
    def months(self) -> frozenset[str]:
        """The labels of the task's months: its partitions."""
        return frozenset(month_label(m) for m in range(self.first, self.last + 1))


def month_tasks(params: GenParams, chunks: list[Chunk]) -> list[Task]:
    """Group consecutive chunks into tasks that share no month."""
    groups: list[list[Chunk]] = []
    for chunk in chunks:
        if groups and _first_month(params, chunk) <= _last_month(params, groups[-1][-1]):
            groups[-1].append(chunk)
        else:
            groups.append([chunk])
    return [
        Task(i, tuple(g), _first_month(params, g[0]), _last_month(params, g[-1]))
        for i, g in enumerate(groups)
    ]


def _first_month(params: GenParams, chunk: Chunk) -> int:
    return int(month_numbers(np.array([params.start_s + chunk.day_lo * DAY]))[0])


def _last_month(params: GenParams, chunk: Chunk) -> int:
    return int(month_numbers(np.array([params.start_s + chunk.day_hi * DAY - 1]))[0])


@dataclass
class ChunkDemand:
    """What the main process needs of a generated chunk (see the module docstring)."""

    counts: dict[str, int]
    """Rows per numbered table (stock movements without the restocks)."""
    stock: Demand
    spilled: Frame
    """Stock movements dated after the task's months, in the order they are numbered."""


@dataclass
class TaskRows:
    """A generated task: its chunks' rows and demands."""

    task: Task
    chunks: list[ChunkRows]
    demands: list[ChunkDemand]


def generate_task(shared: Shared, task: Task) -> TaskRows:
    """Generate every chunk of ``task`` (step 1)."""
    rows = [chunk_rows(shared, chunk) for chunk in task.chunks]
    products = len(shared.price_cents)
    demands = []
    for chunk in rows:
        counts = {f.table: len(f) for f in chunk.frames if f.table in ID_COLUMNS}
        moves = next(f for f in chunk.frames if f.table == MOVEMENTS)
        stock = chunk_demand(shared.params, chunk.chunk, moves, products)
        demands.append(ChunkDemand(counts, stock, _spilled(moves, task)))
    return TaskRows(task, rows, demands)


def _spilled(moves: Frame, task: Task) -> Frame:
    """The movements dated after the task's last month, in the order they get ids.

    A chunk's movements and restocks are numbered in time order (stable); the restocks
    fall inside the chunk, so the movements past the task's months are the last rows,
    in the order a stable sort of the movements alone puts them.
    """
    at = np.asarray(moves.columns["created_at"])
    order = np.argsort(at, kind="stable")
    late = month_numbers(at[order]) > task.last
    return moves.take(order[late])


@dataclass
class ChunkNumbers:
    """What a chunk needs from the main process to be numbered: id offsets and restocks."""

    offsets: dict[str, int]
    restocks: Frame


@dataclass
class TaskNumbers:
    """Step 2's answer for a task: per chunk its numbers, and the movements of its months
    that earlier tasks (and the opening stock) dated there."""

    chunks: list[ChunkNumbers]
    incoming: list[Frame]


@dataclass
class Sequencer:
    """The ledger and id counters, advanced task by task in chunk order (step 2)."""

    ledger: Ledger
    ids: IdCounter
    tasks: list[Task]
    last_chunk: int
    waiting: dict[str, list[Frame]] = field(default_factory=dict)
    numbered: int = 0

    def add(self, movements: Frame) -> None:
        """Numbered stock movements that belong to whichever task owns their months."""
        if not len(movements):
            return
        months = month_numbers(np.asarray(movements.columns["created_at"]))
        for month in np.unique(months):
            owner = self._owner(int(month))
            if owner is not None and owner.index < self.numbered:
                raise RuntimeError(f"stock movements of {month_label(month)} came too late")
            rows = movements.take(np.flatnonzero(months == month))
            self.waiting.setdefault(month_label(month), []).append(rows)

    def number(self, task: Task, demands: list[ChunkDemand]) -> TaskNumbers:
        """Restocks and id offsets for each chunk of ``task``, the next task in order."""
        if task.index != self.numbered:
            raise RuntimeError(f"task {task.index} numbered before task {self.numbered}")
        self.numbered += 1
        out = []
        for chunk, demand in zip(task.chunks, demands, strict=True):
            restocks = restock(self.ledger, demand.stock, chunk.index == self.last_chunk)
            out.append(ChunkNumbers(dict(self.ids.last), restocks))
            for table, count in demand.counts.items():
                self.ids.last[table] += count
            self.ids.last[MOVEMENTS] += len(restocks)
            end = self.ids.last[MOVEMENTS]
            first = end - len(demand.spilled) + 1
            ids = np.arange(first, end + 1, dtype=np.int64)
            self.add(Frame(MOVEMENTS, {ID_COLUMNS[MOVEMENTS]: ids, **demand.spilled.columns}))
        incoming = [f for m in sorted(task.months) for f in self.waiting.pop(m, [])]
        return TaskNumbers(out, incoming)

    def left_over(self) -> list[Frame]:
        """After the last task: movements of months no task owns (before the first order)."""
        out = [f for m in sorted(self.waiting) for f in self.waiting[m]]
        self.waiting = {}
        return out

    def _owner(self, month: int) -> Task | None:
        return next((t for t in self.tasks if t.first <= month <= t.last), None)


@dataclass
class TaskResult:
    """What a task wrote: its partitions and rows per table."""

    index: int
    partitions: dict[tuple[str, str], Partition]
    rows: dict[str, int]


def write_task(rows: TaskRows, numbers: TaskNumbers, folder: Path, number: int) -> TaskResult:
    """Number the task's rows and write its partition files (step 3).

    On failure, the files it opened are removed.
    """
    sink = LakeSink(folder, number, rows.task.months)
    try:
        incoming = numbers.incoming
        for chunk, numbered in zip(rows.chunks, numbers.chunks, strict=True):
            ids = IdCounter()
            ids.last = dict(numbered.offsets)
            frames = chunk_frames(chunk, ids, lambda _moves, r=numbered.restocks: r)
            sink.write([*incoming, *frames])
            incoming = []
        spilled = sum(len(d.spilled) for d in rows.demands)
        if sink.left_out != spilled:
            raise RuntimeError(f"task {rows.task.index} left out {sink.left_out} movements")
        return TaskResult(rows.task.index, sink.finish(), sink.rows)
    except BaseException:
        sink.abandon()
        raise
