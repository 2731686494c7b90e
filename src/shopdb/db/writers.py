"""Writers to one SQLite file take turns in this process, in order, without sleeping.

SQLite lets one writer in at a time; the others wait in its busy handler, which polls
the lock with sleeps that grow to 100 ms, so under contention a writer that missed the
lock a few times waits far longer than the transaction ahead of it took (the API's p99
on SQLite). ``write_turn`` makes writers in one process wait on a Python lock taken
before ``BEGIN IMMEDIATE`` instead: the next one starts as soon as the last one ends.

Writers in other processes (the CLI, another worker) still meet on SQLite's lock and
its busy handler, as before. A writer waits for its turn at most the busy timeout, then
begins anyway and is left to the busy handler, so a stuck transaction cannot hold the
others longer than SQLite alone would. On the servers, and for SQLite in memory (one
connection), there is no turn to take: row locks serve writers concurrently.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import URL, Engine

from shopdb.db.backend import SQLITE, SQLITE_BUSY_TIMEOUT_MS

_by_file: dict[str, threading.Lock] = {}
_by_url: dict[URL, threading.Lock | None] = {}
_registry = threading.Lock()


def writer_lock(url: URL) -> threading.Lock | None:
    """The lock the writers to ``url``'s SQLite file share, or None (not a SQLite file)."""
    try:
        return _by_url[url]
    except KeyError:
        pass
    with _registry:
        lock = None
        database = url.database
        if url.get_backend_name() == SQLITE and database and database != ":memory:":
            path = os.path.realpath(database)
            lock = _by_file.setdefault(path, threading.Lock())
        _by_url[url] = lock
        return lock


@contextmanager
def write_turn(engine: Engine) -> Iterator[None]:
    """Hold this process's turn to write to ``engine``'s SQLite file for the block.

    Take it around the whole write transaction, from before ``BEGIN IMMEDIATE`` until
    after ``COMMIT`` or the rollback, and never inside another one's turn. Nothing on
    the servers.
    """
    lock = writer_lock(engine.url)
    if lock is None:
        yield
        return
    held = lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    try:
        yield
    finally:
        if held:
            lock.release()
