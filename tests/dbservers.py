"""Scratch databases on every backend, for the fixtures in every conftest.

SQLite always works. MariaDB and PostgreSQL are found at ``SHOPDB_TEST_MYSQL_URL`` /
``SHOPDB_TEST_POSTGRES_URL`` (defaults: root@127.0.0.1:3306 and postgres@127.0.0.1:5432).
An unreachable server skips the test with a message, except under ``CI=true``, where it
fails: CI must never pass by skipping a backend.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, create_engine, delete, insert, inspect, text, update
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import DBAPIError

from shopdb.config import parse_database_url
from shopdb.db.admin import SHOP_TABLES, init_schema
from shopdb.db.engine import make_engine
from shopdb.db.schema import SCHEMA_VERSION, alembic_version, categories, metadata

BACKENDS = ("sqlite", "mysql", "postgresql")
_SERVER_URLS = {
    "mysql": ("SHOPDB_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/mysql"),
    "postgresql": ("SHOPDB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
}
_unreachable: dict[str, str] = {}


def _server_url(backend: str) -> URL:
    var, default = _SERVER_URLS[backend]
    return parse_database_url(os.environ.get(var, default))


def _admin_engine(backend: str) -> Engine:
    url = _server_url(backend)
    if backend == "postgresql":
        return create_engine(url, isolation_level="AUTOCOMMIT")
    return create_engine(url)


def skip_or_fail(message: str) -> None:
    """Skip the test for something this machine lacks; under ``CI=true``, fail instead."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _unavailable(backend: str, why: str) -> None:
    var = _SERVER_URLS[backend][0]
    skip_or_fail(f"{backend} server unreachable ({why}); start it or set {var} to run these tests")


def create_database(backend: str, tmp_path: Path) -> tuple[URL, str | None]:
    """Create an empty database for one test; return its URL and its name on the server."""
    if backend == "sqlite":
        return parse_database_url(f"sqlite:///{tmp_path / 'shop.sqlite3'}"), None
    if backend in _unreachable:
        _unavailable(backend, _unreachable[backend])
    name = f"shopdb_test_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine(backend)
    try:
        with admin.connect() as conn:
            if backend == "postgresql":
                # C collation: strings sort by code point, as on SQLite and MariaDB (utf8mb4_bin)
                conn.execute(
                    text(
                        f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                        "LC_COLLATE 'C' LC_CTYPE 'C'"
                    )
                )
            else:
                conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
                conn.commit()
    except DBAPIError as exc:
        _unreachable[backend] = str(exc.orig).splitlines()[0]
        _unavailable(backend, _unreachable[backend])
    finally:
        admin.dispose()
    return _server_url(backend).set(database=name), name


def drop_database(backend: str, name: str) -> None:
    """Drop a database made by ``create_database``."""
    admin = _admin_engine(backend)
    try:
        with admin.connect() as conn:
            if backend == "postgresql":
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            else:
                conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
                conn.commit()
    finally:
        admin.dispose()


@contextmanager
def schema_engine(backend: str, tmp_path: Path) -> Iterator[tuple[Engine, URL]]:
    """A new database holding the empty shopdb schema: its engine and URL; dropped after."""
    url, name = create_database(backend, tmp_path)
    engine = make_engine(url)
    try:
        init_schema(engine)
        yield engine, url
    finally:
        engine.dispose()
        if name is not None:
            drop_database(backend, name)


_SPARES = 2
"""Databases per server backend and test process beyond the one in use: each is emptied on
its own thread while later tests run, so a run of short tests waits for no one emptying."""


@dataclass
class _Shared:
    """One reused database: its URL, its name on the server, an engine to clear it."""

    url: URL
    name: str | None
    engine: Engine


class SchemaDatabases:
    """Per backend, the schema built once per test process; every test gets it empty.

    SQLite: a template file holding the empty schema, copied for each test (a new file per
    test, so nothing is shared at all). MariaDB and PostgreSQL: two databases per backend
    and process (xdist worker), made on first use and dropped by ``close``, handed out in
    turn: while a test runs on one, a background thread empties the other, which the
    previous test used (every row of every shopdb table deleted, children first, the id
    counters back at 1 and the schema revision row in place again). ``fresh`` waits for
    that emptying to finish before it hands the database out, so a test never sees another
    test's rows and no two tests share a database at once. A database whose tables are no
    longer exactly shopdb's (a test dropped or added one), or that cannot be emptied, is
    dropped and built again. Creating a database and its schema costs a few seconds on a
    loaded server; emptying one costs a few milliseconds, plus on MariaDB one ``ALTER
    TABLE`` per table whose counter moved (tens of milliseconds each on a loaded server),
    which the next test no longer waits for.
    """

    def __init__(self, workdir: Path) -> None:
        self._workdir = workdir
        self._sqlite: _Shared | None = None
        self._in_use: dict[str, _Shared] = {}
        self._spares: dict[str, deque[Future[_Shared]]] = {}
        self._cleaner = ThreadPoolExecutor(max_workers=_SPARES, thread_name_prefix="empty-db")

    def fresh(self, backend: str, tmp_path: Path) -> URL:
        """The URL of a database holding the empty schema and no rows, for one test."""
        if backend == "sqlite":
            if self._sqlite is None:
                self._sqlite = self._build(backend)
            assert self._sqlite.url.database is not None
            target = tmp_path / "shop.sqlite3"
            shutil.copyfile(self._sqlite.url.database, target)
            return self._sqlite.url.set(database=str(target))
        spares = self._spares.setdefault(backend, deque())
        used = self._in_use.pop(backend, None)
        if used is not None:
            spares.append(self._cleaner.submit(self._recycle, backend, used))
        ready = spares.popleft().result() if spares else self._build(backend)
        while len(spares) < _SPARES:
            spares.append(self._cleaner.submit(self._build, backend))
        self._in_use[backend] = ready
        return ready.url

    def close(self) -> None:
        """Drop every database made here."""
        made = [*self._in_use.values()]
        if self._sqlite is not None:
            made.append(self._sqlite)
        for spares in self._spares.values():
            for future in spares:
                with suppress(BaseException):  # a failed build left nothing to drop
                    made.append(future.result())
        self._cleaner.shutdown()
        self._sqlite = None
        self._in_use.clear()
        self._spares.clear()
        for shared in made:
            _drop(shared)

    def _recycle(self, backend: str, used: _Shared) -> _Shared:
        """``used`` emptied for the next test, or, if it cannot be, a new database."""
        try:
            emptied = _empty(used.engine)
        except DBAPIError:
            emptied = False
        if emptied:
            return used
        _drop(used)
        return self._build(backend)

    def _build(self, backend: str) -> _Shared:
        workdir = self._workdir / backend
        workdir.mkdir(exist_ok=True)
        url, name = create_database(backend, workdir)
        engine = make_engine(url)
        try:
            init_schema(engine)
        except BaseException:
            engine.dispose()
            if name is not None:
                drop_database(backend, name)
            raise
        if backend == "sqlite":
            engine.dispose()  # the last connection checkpoints the WAL into the file
        return _Shared(url, name, engine)


def _drop(shared: _Shared) -> None:
    shared.engine.dispose()
    if shared.name is not None:
        drop_database(shared.engine.dialect.name, shared.name)


def _empty(engine: Engine) -> bool:
    """Delete every row of shopdb's tables and set the id counters back to 1.

    Returns False, changing nothing, when the database's tables are not exactly shopdb's.
    """
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        conn.rollback()
        if tables != set(SHOP_TABLES):
            return False
        backend = conn.dialect.name
        moved: list[str] = []
        with conn.begin():
            if backend == "postgresql":
                # a connection a test left behind must not make every later test hang
                conn.exec_driver_sql("SET LOCAL lock_timeout = '20s'")
            else:
                moved = list(
                    conn.exec_driver_sql(
                        "SELECT table_name FROM information_schema.tables "
                        "WHERE table_schema = database() AND auto_increment > 1"
                    ).scalars()
                )
            conn.execute(update(categories).values(parent_id=None))
            for table in reversed(metadata.sorted_tables):
                conn.execute(delete(table))
            conn.execute(insert(alembic_version).values(version_num=SCHEMA_VERSION))
            if backend == "postgresql":
                counters = [
                    f"setval(pg_get_serial_sequence('{t.name}', '{t.autoincrement_column.name}'), "
                    "1, false)"
                    for t in metadata.sorted_tables
                    if t.autoincrement_column is not None
                ]
                conn.exec_driver_sql(f"SELECT {', '.join(counters)}")
        for table_name in moved:
            # InnoDB keeps its counter after a DELETE; an ALTER sets it to max(id) + 1
            conn.exec_driver_sql(f"ALTER TABLE `{table_name}` AUTO_INCREMENT = 1")
    return True


class ShopTemplates:
    """Per backend, a database holding a shop built once per test process by ``build``.

    ``build`` gets an engine on a database holding the empty schema and its URL, and fills
    it. Tests do not use these databases: ``copy_shop`` copies one into the test's own.
    ``close`` drops them.
    """

    def __init__(self, workdir: Path, build: Callable[[Engine, URL], None]) -> None:
        self._workdir = workdir
        self._build = build
        self._stack = ExitStack()
        self._engines: dict[str, Engine] = {}

    def engine(self, backend: str) -> Engine:
        """The engine on ``backend``'s shop, built on first use."""
        if backend not in self._engines:
            workdir = self._workdir / backend
            workdir.mkdir(exist_ok=True)
            engine, url = self._stack.enter_context(schema_engine(backend, workdir))
            self._build(engine, url)
            self._engines[backend] = engine
        return self._engines[backend]

    def close(self) -> None:
        """Drop every database made here."""
        self._engines.clear()
        self._stack.close()


def copy_shop(source: Engine, target: Engine) -> None:
    """Copy every row of shopdb's tables from ``source`` into ``target``, on one backend.

    ``target`` holds the empty schema (``SchemaDatabases.fresh``); afterwards it holds the
    same rows as ``source`` and its id counters are past them, as if the rows had been
    loaded there: a test gets a generated shop in a fraction of the time generating takes.
    SQLite copies the whole file (the backup API), MariaDB inserts from the other database
    on the same server, PostgreSQL streams each table through ``COPY`` in binary.
    """
    backend = source.dialect.name
    if backend == "sqlite":
        with source.connect() as src, target.connect() as dst:
            src.connection.dbapi_connection.backup(dst.connection.dbapi_connection)  # type: ignore[union-attr]
        return
    tables = [t for t in metadata.sorted_tables if t.name != alembic_version.name]
    if backend == "mysql":
        database = source.url.database
        with target.begin() as conn:
            # the rows are a valid shop already; the category tree refers to itself
            conn.exec_driver_sql("SET foreign_key_checks = 0")
            for table in tables:
                names = ", ".join(f"`{name}`" for name in _stored_columns(table))
                conn.exec_driver_sql(
                    f"INSERT INTO `{table.name}` ({names}) "
                    f"SELECT {names} FROM `{database}`.`{table.name}`"
                )
            conn.exec_driver_sql("SET foreign_key_checks = 1")
        return
    with source.connect() as src, target.begin() as dst:
        reader: Any = src.connection.dbapi_connection
        writer: Any = dst.connection.dbapi_connection
        for table in tables:
            names = ", ".join(f'"{name}"' for name in _stored_columns(table))
            with (
                reader.cursor() as out,
                out.copy(f'COPY "{table.name}" ({names}) TO STDOUT (FORMAT BINARY)') as rows,
                writer.cursor() as into,
                into.copy(f'COPY "{table.name}" ({names}) FROM STDIN (FORMAT BINARY)') as load,
            ):
                for block in rows:
                    load.write(block)
        counters = [
            f"setval(pg_get_serial_sequence('{t.name}', '{t.autoincrement_column.name}'), "
            f"coalesce((select max({t.autoincrement_column.name}) from {t.name}), 0) + 1, false)"
            for t in tables
            if t.autoincrement_column is not None
        ]
        dst.exec_driver_sql(f"SELECT {', '.join(counters)}")


def _stored_columns(table: Table) -> list[str]:
    """The columns a row is written with: not those the database computes."""
    return [column.name for column in table.columns if column.computed is None]
