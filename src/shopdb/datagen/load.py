"""Bulk loading through each backend's fast path, on one connection for the whole run.

SQLite: ``executemany`` of tuples in one transaction per chunk, with load-time pragmas
(``synchronous = OFF``, a large page cache, and foreign key and CHECK constraints
verified once at the end, with ``PRAGMA foreign_key_check`` and one scan per table of
its CHECK expressions, instead of per row: measured on ``payments``, evaluating its four
CHECKs per row cut the insert rate to about a third).

MariaDB: ``LOAD DATA LOCAL INFILE`` of a CSV file per table and chunk; any warning (a
value it would silently change) is an error. PostgreSQL: ``COPY ... FROM STDIN`` in CSV.
On MariaDB and PostgreSQL every row is checked as it lands; on SQLite a violation found
at the end fails the load just the same.

On SQLite and PostgreSQL the secondary indexes are dropped for the load and built
afterwards (MariaDB needs them for its foreign keys). After the load, PostgreSQL
sequences are moved past the largest id, so rows inserted later by the services get new
ids (MariaDB and SQLite do this by themselves).
"""

from __future__ import annotations

import gc
import os
import tempfile
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CheckConstraint, Index
from sqlalchemy.engine import Connection, Engine

from shopdb.datagen.convert import csv_bytes, python_columns
from shopdb.datagen.frames import Frame
from shopdb.db.admin import move_id_sequence
from shopdb.db.backend import Backend, backend_of
from shopdb.db.schema import DATA_TABLES, generation_runs
from shopdb.errors import ShopError

SQLITE_LOAD_PRAGMAS = (
    "PRAGMA synchronous = OFF",
    "PRAGMA cache_size = -262144",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA foreign_keys = OFF",
    "PRAGMA ignore_check_constraints = ON",
)
SQLITE_NORMAL_PRAGMAS = (
    "PRAGMA synchronous = NORMAL",
    "PRAGMA cache_size = -2000",
    "PRAGMA foreign_keys = ON",
    "PRAGMA ignore_check_constraints = OFF",
)


class LoadError(ShopError):
    """The database changed or refused rows during a bulk load."""


def secondary_indexes() -> list[Index]:
    """The non-unique indexes of the data tables (unique ones are constraints: kept)."""
    return [ix for table in DATA_TABLES for ix in sorted(table.indexes, key=lambda i: str(i.name))]


class BulkSession:
    """One connection that loads frames, one transaction per ``write`` call."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.backend = backend_of(engine)
        self.conn = engine.connect()
        self.drop_indexes = self.backend.drops_indexes_for_load

    def prepare(self) -> None:
        """Set load-time options and drop the secondary indexes (SQLite, PostgreSQL)."""
        if self.backend.load_pragmas:
            self._pragmas(SQLITE_LOAD_PRAGMAS)
        if self.drop_indexes:
            with self.conn.begin():
                for index in secondary_indexes():
                    index.drop(self.conn, checkfirst=True)

    def write(self, frames: list[Frame]) -> None:
        """Load ``frames`` in order in one transaction; on any error none of them stays."""
        with self.conn.begin():
            for frame in frames:
                if len(frame):
                    write_frame(self.conn, frame)

    def restore(self) -> None:
        """Build the dropped indexes and reset pragmas; safe to call after a failure."""
        if self.conn.in_transaction():
            self.conn.rollback()
        if self.drop_indexes:
            with self.conn.begin():
                for index in secondary_indexes():
                    index.create(self.conn, checkfirst=True)
        if self.backend.load_pragmas:
            self._pragmas(SQLITE_NORMAL_PRAGMAS)

    def abandon(self) -> None:
        """After a failure: give up the loading connection in whatever state the failure
        left it, and build the dropped indexes again on a new one.

        An interrupt can land inside a driver call: in the middle of a COPY, or on SQLite
        after the driver's BEGIN but before SQLAlchemy noted the transaction, so that a
        rollback is skipped and the next BEGIN is refused. Closing the driver's connection
        ends its transaction and frees its locks on every backend; the rows of the writes
        committed before stay, for the caller to delete.
        """
        self.conn.invalidate()
        self.conn = self.engine.connect()
        self.restore()

    def finish(self) -> None:
        """Verify deferred constraints, build indexes, move sequences, refresh statistics.

        Raises:
            LoadError: a loaded row breaks a foreign key or CHECK constraint (SQLite).
        """
        if self.backend.load_pragmas:
            self._verify_sqlite()
        self.restore()
        with self.conn.begin():
            if self.backend.resets_sequences:
                reset_sequences(self.conn)
            if self.backend.analyze_after_load:
                self.conn.exec_driver_sql("ANALYZE")

    def _verify_sqlite(self) -> None:
        if self.conn.in_transaction():
            self.conn.commit()
        raw: Any = self.conn.connection.dbapi_connection
        orphans = raw.execute("PRAGMA foreign_key_check").fetchmany(1)
        if orphans:
            table, rowid, parent, _ = orphans[0]
            raise LoadError(f"row {rowid} of {table} refers to a missing row of {parent}")
        # one scan per table evaluates all its CHECKs (five times faster than quick_check);
        # a CHECK fails only when false, and so does "not (...)" select a row
        for table in DATA_TABLES:
            checks = [c for c in table.constraints if isinstance(c, CheckConstraint)]
            if not checks:
                continue
            broken = " or ".join(f"not ({c.sqltext})" for c in checks)
            names = ", ".join(f"not ({c.sqltext}) as {c.name}" for c in checks)
            row = raw.execute(f"select {names} from {table.name} where {broken} limit 1").fetchone()
            if row is not None:
                failed = [str(c.name) for c, bad in zip(checks, row, strict=True) if bad]
                raise LoadError(f"a row of {table.name} breaks {', '.join(failed)}")

    def _pragmas(self, pragmas: tuple[str, ...]) -> None:
        # straight to the driver: SQLAlchemy would open a transaction, where SQLite
        # refuses to change the synchronous setting
        raw = self.conn.connection.dbapi_connection
        for pragma in pragmas:
            raw.execute(pragma)  # type: ignore[union-attr]

    def close(self) -> None:
        """Return the connection to the pool."""
        self.conn.close()


def write_frame(conn: Connection, frame: Frame) -> None:
    """Load one frame through the connection's bulk path, inside its transaction."""
    prepared = prepare_frame(backend_of(conn), frame)
    try:
        send(conn, prepared)
    finally:
        prepared.discard()


@dataclass
class Prepared:
    """A frame in the form its driver's bulk path takes: statement and rows or CSV."""

    table: str
    rows: int
    statement: str
    tuples: list[tuple[Any, ...]] | None = None
    data: bytes | None = None
    path: str | None = None

    def discard(self) -> None:
        """Remove the CSV file made for MariaDB, if any."""
        if self.path is not None and os.path.exists(self.path):
            os.unlink(self.path)


def prepare_frame(backend: Backend, frame: Frame) -> Prepared:
    """Convert a frame for ``backend``'s bulk path (no database work)."""
    names = ", ".join(frame.columns)
    if backend.bulk_loader == "executemany":
        marks = ", ".join("?" * len(frame.columns))
        # millions of new tuples would trigger the cycle collector over and over; they
        # hold only ints and strings, so no cycle can form
        collecting = gc.isenabled()
        gc.disable()
        try:
            rows = list(zip(*python_columns(frame), strict=True))
        finally:
            if collecting:
                gc.enable()
        sql = f"insert into {frame.table} ({names}) values ({marks})"
        return Prepared(frame.table, len(frame), sql, tuples=rows)
    if backend.bulk_loader == "copy":
        sql = f"copy {frame.table} ({names}) from stdin (format csv)"
        return Prepared(frame.table, len(frame), sql, data=csv_bytes(frame))
    # an unquoted NULL is read as NULL; strings are always quoted, so the text 'NULL' is not
    handle, path = tempfile.mkstemp(prefix="shopdb-", suffix=".csv")
    with os.fdopen(handle, "wb") as file:
        file.write(csv_bytes(frame, null="NULL"))
    sql = (
        f"load data local infile '{path}' into table {frame.table} character set utf8mb4 "
        "fields terminated by ',' optionally enclosed by '\"' escaped by '' "
        f"lines terminated by '\\n' ({names})"
    )
    return Prepared(frame.table, len(frame), sql, path=path)


def send(conn: Connection, prepared: Prepared) -> None:
    """Hand prepared rows to the driver's bulk path, inside the connection's transaction.

    Raises:
        LoadError: MariaDB turned a refused row into a warning (``LOAD DATA LOCAL``
            downgrades bad values and duplicate keys); the transaction must be rolled back.
    """
    try:
        _send(conn, prepared)
    except conn.dialect.loaded_dbapi.Error as exc:
        # the raw driver's error, said in one line like SQLAlchemy's would be
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LoadError(f"the database refused rows of {prepared.table}: {first}") from exc


def _send(conn: Connection, prepared: Prepared) -> None:
    raw: Any = conn.connection.dbapi_connection
    if prepared.tuples is not None:
        cursor = raw.cursor()
        try:
            cursor.executemany(prepared.statement, prepared.tuples)
        finally:
            cursor.close()
    elif prepared.data is not None:
        with raw.cursor() as cursor, cursor.copy(prepared.statement) as copy:
            copy.write(prepared.data)
    else:
        with raw.cursor() as cursor:
            loaded = cursor.execute(prepared.statement)
            cursor.execute("show warnings")
            warnings = cursor.fetchall()
        if warnings or loaded != prepared.rows:
            first = warnings[0][2] if warnings else f"{loaded} of {prepared.rows} rows loaded"
            raise LoadError(f"MariaDB refused rows of {prepared.table}: {first}")


def reset_sequences(conn: Connection) -> None:
    """Move each PostgreSQL id sequence past the largest id in its table."""
    for table in (*DATA_TABLES, generation_runs):
        if table.name != "inventory":
            move_id_sequence(conn, table)
