"""Running month tasks (``monthtasks``) in this process or in worker processes.

With ``jobs`` above one, each worker process takes a task, generates it, sends its
demands, waits for the numbers and writes the task's files; the main process numbers
the tasks in order as their demands arrive and, between messages, does its own share of
the writing (the catalogue and the users). Workers are started by the generator's fork
server (``datagen.pipeline.worker_context``), ignore Ctrl-C (the main process stops them)
and are terminated if the main process fails, before it removes the files written.
"""

from __future__ import annotations

import signal
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait
from pathlib import Path

from shopdb.datagen.orders import Shared
from shopdb.datagen.pipeline import worker_context
from shopdb.lake.monthtasks import (
    Sequencer,
    Task,
    TaskResult,
    TaskRows,
    generate_task,
    write_task,
)

Work = Callable[[], None]
"""A piece of the main process's own writing, done between messages."""


def run_tasks(
    shared: Shared,
    tasks: list[Task],
    sequencer: Sequencer,
    target: tuple[Path, int],
    jobs: int,
    own_work: Iterator[Work],
) -> Iterator[TaskResult]:
    """Run every task and ``own_work``; yield each task's result as it finishes.

    ``target`` is the lake folder and the write's number.
    """
    positions = {c.index: i for i, c in enumerate(sequencer.chunks)}
    if jobs <= 1:
        for work in own_work:
            work()
        for task in tasks:
            rows = generate_task(shared, task, positions)
            sequencer.demand(rows.demands)
            numbers = sequencer.answer(task)
            assert numbers is not None  # every earlier task's demands are in
            yield write_task(shared, rows, numbers, *target)
        return
    pool = _Pool(shared, positions, target, min(jobs, len(tasks)))
    yield from pool.run(tasks, sequencer, own_work)


class WorkerFailed(RuntimeError):
    """A worker process raised or died; the message holds its traceback."""


class _Pool:
    def __init__(
        self, shared: Shared, positions: dict[int, int], target: tuple[Path, int], jobs: int
    ) -> None:
        self.shared = shared
        self.positions = positions
        self.target = target
        self.jobs = max(jobs, 1)

    def run(
        self, tasks: list[Task], sequencer: Sequencer, own_work: Iterator[Work]
    ) -> Iterator[TaskResult]:
        context = worker_context()
        workers = []
        try:
            for _ in range(self.jobs):
                mine, theirs = context.Pipe()
                process = context.Process(  # type: ignore[attr-defined]
                    target=_worker,
                    args=(theirs, self.shared, self.positions, self.target),
                    daemon=True,
                )
                process.start()
                theirs.close()
                workers.append((process, mine))
            yield from _Loop(tasks, sequencer, own_work, [c for _, c in workers]).run()
            for _, conn in workers:
                conn.send(None)
            for process, _ in workers:
                process.join()
        finally:
            for process, conn in workers:
                if process.is_alive():
                    process.terminate()
                process.join()
                conn.close()


class _Loop:
    """The main process's side: hand out tasks in order, number them, do its own work."""

    def __init__(
        self,
        tasks: list[Task],
        sequencer: Sequencer,
        own_work: Iterator[Work],
        conns: list[Connection],
    ) -> None:
        self.todo = list(tasks)
        self.tasks = tasks
        self.sequencer = sequencer
        self.own_work = own_work
        self.conns = conns
        self.asking: dict[int, Connection] = {}
        """Tasks whose demands are in, waiting for their numbers, and their workers."""
        self.running = 0

    def run(self) -> Iterator[TaskResult]:
        for conn in self.conns:
            self._hand_out(conn)
        work: Work | None = next(self.own_work, None)
        while self.running:
            ready = wait(self.conns, timeout=0 if work is not None else None)
            if not ready and work is not None:
                work()
                work = next(self.own_work, None)
            for ready_conn in ready:
                assert isinstance(ready_conn, Connection)
                result = self._receive(ready_conn)
                if result is not None:
                    yield result
        while work is not None:
            work()
            work = next(self.own_work, None)

    def _hand_out(self, conn: Connection) -> None:
        if self.todo:
            conn.send(self.todo.pop(0))
            self.running += 1

    def _receive(self, conn: Connection) -> TaskResult | None:
        try:
            kind, index, body = conn.recv()
        except EOFError:
            raise WorkerFailed("a generating process died") from None
        if kind == "failed":
            raise WorkerFailed(f"a generating process failed:\n{body}")
        if kind == "demands":
            self.sequencer.demand(body)
            self.asking[index] = conn
            for waiting in sorted(self.asking):
                numbers = self.sequencer.answer(self.tasks[waiting])
                if numbers is not None:
                    self.asking.pop(waiting).send(numbers)
            return None
        self.running -= 1
        self._hand_out(conn)
        assert isinstance(body, TaskResult)
        return body


def _worker(
    conn: Connection, shared: Shared, positions: dict[int, int], target: tuple[Path, int]
) -> None:
    """A worker process: tasks until told to stop (``None``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while (task := conn.recv()) is not None:
        try:
            rows: TaskRows = generate_task(shared, task, positions)
            conn.send(("demands", task.index, rows.demands))
            numbers = conn.recv()
            conn.send(("done", task.index, write_task(shared, rows, numbers, *target)))
        except BaseException:
            conn.send(("failed", task.index, traceback.format_exc()))
            return
