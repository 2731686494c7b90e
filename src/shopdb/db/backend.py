"""Which backend a database is, and every fact that differs between the three.

shopdb runs on ``sqlite``, ``mysql`` (MariaDB, which SQLAlchemy may also call
``mariadb``) and ``postgresql``. Code that needs to know which one asks ``backend_of``
and reads the answer's fields instead of comparing names itself, so a difference
between the backends is written here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from sqlalchemy import Insert, Table
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.engine import URL, Connection, Dialect, Engine
    from sqlalchemy.exc import DBAPIError

# No SQLAlchemy at import: ``shopdb --help`` reads NAMES, and a backend's dialect module
# (PostgreSQL's pulls in asyncio) is imported only when that backend compiles something.

SQLITE = "sqlite"
MYSQL = "mysql"
POSTGRESQL = "postgresql"
NAMES = (SQLITE, MYSQL, POSTGRESQL)
"""The backend names shopdb accepts (``--dialect``, SQL file variants, fragments)."""

SQLITE_BUSY_TIMEOUT_MS = 30_000
MYSQL_SQL_MODE = (
    "STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
    "NO_ENGINE_SUBSTITUTION,ONLY_FULL_GROUP_BY,PIPES_AS_CONCAT,ANSI_QUOTES"
)
MYSQL_TEMP_TABLE_BYTES = 256 * 1024 * 1024
"""How large MariaDB may let an in-memory temporary table grow (the audit's GROUP BYs)."""

BulkLoader = Literal["executemany", "copy", "load_data"]
Upsert = Literal["on_conflict", "on_duplicate_key"]


@dataclass(frozen=True)
class Backend:
    """What shopdb does differently on one backend.

    Attributes:
        name: ``sqlite``, ``mysql`` or ``postgresql``.
        driver_module: the top-level module of the DBAPI driver shopdb uses.
        default_port: the server's port when a URL names none.
        snapshot_isolation: the isolation level a read-only snapshot asks for; None
            where a read transaction is a snapshot already (SQLite).
        explain_prefix: what turns a SELECT into a request for its plan.
        reads_autocommit: whether a read of one statement (a catalogue query) runs
            outside a transaction, the statement being its own snapshot: on PostgreSQL
            that saves the BEGIN and ROLLBACK round trips; PyMySQL would spend two
            ``SET autocommit`` round trips to save one ROLLBACK.
        widens_temp_tables: whether the audit and the catalogue's queries raise the
            in-memory temporary table size (``db.grouping``).
        parallel_workers_setting: the session setting that lets the planner start
            parallel workers, switched off for a rollup read (``db.grouping``); None
            where the backend plans no parallel scans of its own accord.
        bulk_loader: the driver's fast path for many rows.
        drops_indexes_for_load: whether secondary indexes are dropped during a bulk
            load and built after (MariaDB needs them for its foreign keys).
        load_pragmas: whether a bulk load switches SQLite's pragmas for speed.
        analyze_after_load: whether statistics are refreshed by ``ANALYZE`` after a load.
        resets_sequences: whether id sequences must be moved past rows loaded with
            explicit ids (the others move their counters by themselves).
        unlinks_tree_before_drop: whether the category tree is unlinked before its
            table is dropped (SQLite drops row by row and a RESTRICT key would refuse).
        batch_migrations: whether Alembic rebuilds a table to alter it (SQLite's
            ALTER TABLE cannot change constraints or types).
        script_prologue: the statements an exported SQL script starts with.
        escapes_backslashes: whether string literals treat a backslash as an escape.
        placeholder: the driver's parameter marker.
        begin_write: what a bare-driver writer sends to begin; None where the driver
            begins a transaction by itself.
        returning_ids: whether a bare-driver INSERT reads its new id with RETURNING
            rather than from the cursor's ``lastrowid``.
        transient_codes: error codes (MariaDB errno, PostgreSQL SQLSTATE) or message
            fragments (SQLite) meaning "rolled back, run it again".
        upsert: how an INSERT says what to do with a row whose key exists
            (``ON CONFLICT`` or ``ON DUPLICATE KEY UPDATE``).
        fold_isolation: the isolation level the rollups' refresher folds at; None for
            the engine's own (MariaDB's repeatable read would take gap locks on the
            change log that stop the services appending to it).
        insert_select_locks: whether an ``INSERT ... SELECT`` takes shared next-key
            locks on the rows it reads (MariaDB's repeatable read): the services then
            write the rollups' change logs from a plain read of the order's items,
            since a payment of the newest order would otherwise lock the gap after the
            last item, where every checkout inserts its items, until it commits.
        connect_args: what the driver is given for every new connection (the session's
            time zone, character set, SQL mode; PostgreSQL's JIT switched off).
        session_statements: statements run on every new connection (SQLite's pragmas).
        file_session_statements: those run only on a database in a file (not in memory).
        exact_wide_sums: whether ``sum()`` of integers answers exactly past 2**63 - 1
            (MariaDB's DECIMAL and PostgreSQL's NUMERIC; SQLite refuses it).
    """

    name: str
    driver_module: str
    default_port: int | None
    snapshot_isolation: str | None
    explain_prefix: str
    reads_autocommit: bool
    widens_temp_tables: bool
    parallel_workers_setting: str | None
    bulk_loader: BulkLoader
    drops_indexes_for_load: bool
    load_pragmas: bool
    analyze_after_load: bool
    resets_sequences: bool
    unlinks_tree_before_drop: bool
    batch_migrations: bool
    script_prologue: tuple[str, ...]
    escapes_backslashes: bool
    placeholder: str
    begin_write: str | None
    returning_ids: bool
    transient_codes: frozenset[int | str]
    connect_args: dict[str, Any]
    upsert: Upsert = "on_conflict"
    fold_isolation: str | None = None
    insert_select_locks: bool = False
    session_statements: tuple[str, ...] = ()
    file_session_statements: tuple[str, ...] = ()
    exact_wide_sums: bool = True

    def dialect(self) -> Dialect:
        """A SQLAlchemy dialect of this backend, for compiling without a connection."""
        if self.name == SQLITE:
            from sqlalchemy.dialects import sqlite

            return sqlite.dialect()
        if self.name == MYSQL:
            from sqlalchemy.dialects import mysql

            return mysql.dialect()
        from sqlalchemy.dialects import postgresql

        return postgresql.dialect()  # type: ignore[no-untyped-call]

    def insert_or_ignore(self, table: Table) -> Insert:
        """An INSERT into ``table`` that skips a row whose primary key exists."""
        if self.upsert == "on_duplicate_key":
            from sqlalchemy.dialects import mysql

            ins = mysql.insert(table)
            key = next(iter(table.primary_key.columns)).name
            return ins.on_duplicate_key_update({key: ins.inserted[key]})
        return self._on_conflict_insert(table).on_conflict_do_nothing()

    def insert_or_add(self, table: Table, measures: list[str]) -> Insert:
        """An INSERT into ``table`` that adds the ``measures`` of a row whose primary key
        exists to the stored row's instead (a counter's upsert)."""
        if self.upsert == "on_duplicate_key":
            from sqlalchemy.dialects import mysql

            my = mysql.insert(table)
            return my.on_duplicate_key_update({m: table.c[m] + my.inserted[m] for m in measures})
        ins = self._on_conflict_insert(table)
        return ins.on_conflict_do_update(
            index_elements=[c.name for c in table.primary_key.columns],
            set_={m: table.c[m] + ins.excluded[m] for m in measures},
        )

    def _on_conflict_insert(self, table: Table) -> postgresql.Insert | sqlite.Insert:
        if self.name == POSTGRESQL:
            from sqlalchemy.dialects import postgresql

            return postgresql.insert(table)
        from sqlalchemy.dialects import sqlite

        return sqlite.insert(table)

    def is_transient(self, exc: DBAPIError) -> bool:
        """Whether the database rolled the transaction back and asks for it to be run again."""
        orig = exc.orig
        if self.name == POSTGRESQL:
            return getattr(orig, "sqlstate", None) in self.transient_codes
        if self.name == MYSQL:
            args: tuple[object, ...] = getattr(orig, "args", ())
            return bool(args) and args[0] in self.transient_codes
        message = str(orig).lower()
        return any(str(text) in message for text in self.transient_codes)


_BACKENDS = {
    SQLITE: Backend(
        name=SQLITE,
        driver_module="sqlite3",
        default_port=None,
        snapshot_isolation=None,
        explain_prefix="explain query plan ",
        reads_autocommit=False,
        widens_temp_tables=False,
        parallel_workers_setting=None,
        bulk_loader="executemany",
        drops_indexes_for_load=True,
        load_pragmas=True,
        analyze_after_load=True,
        resets_sequences=False,
        unlinks_tree_before_drop=True,
        batch_migrations=True,
        script_prologue=("BEGIN;",),
        escapes_backslashes=False,
        placeholder="?",
        begin_write="BEGIN IMMEDIATE",
        returning_ids=False,
        transient_codes=frozenset(
            {"database is locked", "database table is locked", "database is busy"}
        ),
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        session_statements=(
            "PRAGMA foreign_keys = ON",
            f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}",
        ),
        file_session_statements=("PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL"),
        exact_wide_sums=False,
    ),
    MYSQL: Backend(
        name=MYSQL,
        driver_module="pymysql",
        default_port=3306,
        snapshot_isolation="REPEATABLE READ",
        explain_prefix="explain ",
        reads_autocommit=False,
        widens_temp_tables=True,
        parallel_workers_setting=None,
        bulk_loader="load_data",
        drops_indexes_for_load=False,
        load_pragmas=False,
        analyze_after_load=False,
        resets_sequences=False,
        unlinks_tree_before_drop=False,
        batch_migrations=False,
        script_prologue=(
            "SET NAMES utf8mb4;",
            # the script's literals escape backslashes, so backslash escapes must be on
            "SET SESSION sql_mode = REPLACE(@@sql_mode, 'NO_BACKSLASH_ESCAPES', '');",
            "START TRANSACTION;",
        ),
        escapes_backslashes=True,
        placeholder="%s",
        begin_write=None,
        returning_ids=False,
        # 1213 deadlock, 1205 lock wait timeout, 1020 record changed since read
        # (raised under innodb_snapshot_isolation)
        transient_codes=frozenset({1213, 1205, 1020}),
        connect_args={
            "charset": "utf8mb4",
            "local_infile": True,
            "init_command": f"SET SESSION sql_mode='{MYSQL_SQL_MODE}', time_zone='+00:00'",
        },
        upsert="on_duplicate_key",
        fold_isolation="READ COMMITTED",
        insert_select_locks=True,
    ),
    POSTGRESQL: Backend(
        name=POSTGRESQL,
        driver_module="psycopg",
        default_port=5432,
        snapshot_isolation="REPEATABLE READ",
        explain_prefix="explain ",
        reads_autocommit=True,
        widens_temp_tables=False,
        parallel_workers_setting="max_parallel_workers_per_gather",
        bulk_loader="copy",
        drops_indexes_for_load=True,
        load_pragmas=False,
        analyze_after_load=True,
        resets_sequences=True,
        unlinks_tree_before_drop=False,
        batch_migrations=False,
        script_prologue=(
            "SET client_encoding = 'UTF8';",
            "SET standard_conforming_strings = on;",
            "BEGIN;",
        ),
        escapes_backslashes=False,
        placeholder="%s",
        begin_write=None,
        returning_ids=True,
        # serialization failure, deadlock
        transient_codes=frozenset({"40001", "40P01"}),
        # JIT off for the whole session, set once at connect: the planner cannot estimate
        # groups of computed months, overrates the analytics' cost and compiles them,
        # 0.5-1 s of compiling for a query that runs in less; OLTP statements never
        # reach the JIT's threshold, so nothing else changes
        connect_args={"options": "-c TimeZone=UTC -c jit=off"},
    ),
}

_ALIASES = {"mariadb": MYSQL}


def backend_named(name: str) -> Backend:
    """The backend called ``name`` (``mariadb`` is ``mysql``).

    Raises:
        ValueError: shopdb does not support that backend.
    """
    key = _ALIASES.get(name, name)
    if key not in _BACKENDS:
        raise ValueError(f"unknown backend {name!r}: use one of {', '.join(NAMES)}")
    return _BACKENDS[key]


def backend_of(bind: Engine | Connection | Dialect | URL) -> Backend:
    """The backend an engine, connection, dialect or URL talks to."""
    from sqlalchemy.engine import URL, Dialect  # loaded already: the caller holds one

    if isinstance(bind, URL):
        return backend_named(bind.get_backend_name())
    dialect = bind if isinstance(bind, Dialect) else bind.dialect
    return backend_named(dialect.name)


def backend_name(bind: Engine | Connection | Dialect | URL) -> str:
    """``sqlite``, ``mysql`` or ``postgresql``: the name SQL files and options use."""
    return backend_of(bind).name


def backend_of_error(exc: DBAPIError) -> Backend | None:
    """The backend whose driver raised ``exc``, or None for a driver shopdb does not use."""
    module = type(exc.orig).__module__.split(".")[0]
    return next((b for b in _BACKENDS.values() if b.driver_module == module), None)
