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
from typing import Any

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


class WorkerFailed(RuntimeError):
    """A worker process raised or died; the message holds its traceback."""


class TaskRunner:
    """Runs month tasks: in this process for ``jobs`` 1, else in ``jobs`` worker processes.

    The workers start when the runner is entered, so they load their modules while the
    main process draws the plan; leaving the runner stops any still running.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.workers: list[tuple[Any, Connection]] = []

    def __enter__(self) -> TaskRunner:
        if self.jobs > 1:
            context = worker_context((__name__,))
            try:
                for _ in range(self.jobs):
                    mine, theirs = context.Pipe()
                    process = context.Process(  # type: ignore[attr-defined]
                        target=_worker, args=(theirs,), daemon=True
                    )
                    process.start()
                    theirs.close()
                    self.workers.append((process, mine))
            except BaseException:
                self._stop()
                raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()

    def run(
        self,
        shared: Shared,
        tasks: list[Task],
        sequencer: Sequencer,
        target: tuple[Path, int],
        own_work: Iterator[Work],
    ) -> Iterator[TaskResult]:
        """Run every task and ``own_work``; yield each task's result as it finishes.

        ``target`` is the lake folder and the write's number.
        """
        positions = {c.index: i for i, c in enumerate(sequencer.chunks)}
        if not self.workers:
            for work in own_work:
                work()
            for task in tasks:
                rows = generate_task(shared, task, positions)
                sequencer.demand(rows.demands)
                numbers = sequencer.answer(task)
                assert numbers is not None  # every earlier task's demands are in
                yield write_task(shared, rows, numbers, *target)
            return
        conns = [conn for _, conn in self.workers]
        for conn in conns:
            conn.send((shared, positions, target))
        yield from _Loop(tasks, sequencer, own_work, conns).run()
        for conn in conns:
            conn.send(None)
        for process, _ in self.workers:
            process.join()

    def _stop(self) -> None:
        for process, conn in self.workers:
            if process.is_alive():
                process.terminate()
            process.join()
            conn.close()
        self.workers = []


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


def _worker(conn: Connection) -> None:
    """A worker process: its setup, then tasks until told to stop (``None``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        shared, positions, target = conn.recv()
    except EOFError:
        return  # the main process stopped before sending work
    while (task := conn.recv()) is not None:
        try:
            rows: TaskRows = generate_task(shared, task, positions)
            conn.send(("demands", task.index, rows.demands))
            numbers = conn.recv()
            conn.send(("done", task.index, write_task(shared, rows, numbers, *target)))
        except BaseException:
            conn.send(("failed", task.index, traceback.format_exc()))
            return
