"""A named lock on one database, held by one process at a time and freed when it dies.

SQLite: ``flock`` on a file beside the database. MariaDB/MySQL: ``GET_LOCK``, named after
the database. PostgreSQL: a session advisory lock, which is per database already. The
servers' locks belong to a connection held for the whole block; when the process
dies, the server closes the connection and the lock is gone, as the file lock is.
"""

from __future__ import annotations

import fcntl
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import Engine

from shopdb.errors import ShopError


class Busy(ShopError):
    """Another process holds the lock."""


_held: dict[tuple[str, str], int] = {}


@contextmanager
def exclusive(engine: Engine, name: str, doing: str) -> Iterator[None]:
    """Hold the lock ``name`` on the engine's database for the block; re-entrant.

    Raises:
        Busy: another process holds it (the message says ``doing`` is under way).
    """
    key = (engine.url.render_as_string(hide_password=True), name)
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    with _acquire(engine, name, doing):
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]


@contextmanager
def _acquire(engine: Engine, name: str, doing: str) -> Iterator[None]:
    busy = Busy(f"{doing} is already running on this database: wait for it to finish")
    backend = engine.dialect.name
    if backend == "sqlite":
        database = engine.url.database or ""
        if database in ("", ":memory:"):
            yield
            return
        fd = os.open(f"{database}.{name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise busy from None
            yield
        finally:
            os.close(fd)
        return
    with engine.connect() as conn:
        key: dict[str, object]
        if backend == "postgresql":
            key = {"n": zlib.crc32(name.encode())}
            got = conn.execute(text("select pg_try_advisory_lock(:n)"), key).scalar()
            release = text("select pg_advisory_unlock(:n)")
        else:
            key = {"n": f"shopdb.{engine.url.database}.{name}"[:64]}
            got = conn.execute(text("select get_lock(:n, 0)"), key).scalar()
            release = text("select release_lock(:n)")
        conn.commit()
        if not got:
            raise busy
        try:
            yield
        finally:
            conn.execute(release, key)
            conn.commit()
