"""Bulk loading through each backend's fast path, on one connection for the whole run.

SQLite: ``executemany`` of tuples in one transaction per chunk, with load-time pragmas
(``synchronous = OFF``, a large page cache). MariaDB: ``LOAD DATA LOCAL INFILE`` of a CSV
file per table and chunk; any warning (a value it would silently change) is an error.
PostgreSQL: ``COPY ... FROM STDIN`` in CSV. On SQLite and PostgreSQL the secondary
indexes are dropped for the load and built afterwards (MariaDB needs them for its
foreign keys). Constraints stay enforced throughout: every row is checked as it lands.
After the load, PostgreSQL sequences are moved past the largest id, so rows inserted
later by the services get new ids (MariaDB and SQLite do this by themselves).
"""

from __future__ import annotations

import os
import tempfile

from sqlalchemy import Index, Integer, text
from sqlalchemy.engine import Connection, Engine

from shopdb.datagen.convert import csv_bytes, python_columns, table_of
from shopdb.datagen.frames import Frame
from shopdb.db.schema import DATA_TABLES, generation_runs
from shopdb.errors import ShopError

SQLITE_LOAD_PRAGMAS = ("PRAGMA synchronous = OFF", "PRAGMA cache_size = -262144", "PRAGMA temp_store = MEMORY")
SQLITE_NORMAL_PRAGMAS = ("PRAGMA synchronous = NORMAL", "PRAGMA cache_size = -2000")


class LoadError(ShopError):
    """The database changed or refused rows during a bulk load."""


def secondary_indexes() -> list[Index]:
    """The non-unique indexes of the data tables (unique ones are constraints: kept)."""
    return [ix for table in DATA_TABLES for ix in sorted(table.indexes, key=lambda i: str(i.name))]


class BulkSession:
    """One connection that loads frames, one transaction per ``write`` call."""

    def __init__(self, engine: Engine) -> None:
        self.backend = engine.dialect.name
        self.conn = engine.connect()
        self.drop_indexes = self.backend in ("sqlite", "postgresql")

    def prepare(self) -> None:
        """Set load-time options and drop the secondary indexes (SQLite, PostgreSQL)."""
        if self.backend == "sqlite":
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
        if self.backend == "sqlite":
            self._pragmas(SQLITE_NORMAL_PRAGMAS)

    def finish(self) -> None:
        """Build indexes, move sequences past the loaded ids, refresh planner statistics."""
        self.restore()
        with self.conn.begin():
            if self.backend == "postgresql":
                reset_sequences(self.conn)
            if self.backend in ("sqlite", "postgresql"):
                self.conn.exec_driver_sql("ANALYZE")

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
    if conn.dialect.name == "sqlite":
        _sqlite_insert(conn, frame)
    elif conn.dialect.name == "postgresql":
        _postgres_copy(conn, frame)
    else:
        _mariadb_load_data(conn, frame)


def reset_sequences(conn: Connection) -> None:
    """Move each PostgreSQL id sequence past the largest id in its table."""
    for table in (*DATA_TABLES, generation_runs):
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or table.name == "inventory" or not isinstance(keys[0].type, Integer):
            continue
        name, key = table.name, keys[0].name
        conn.execute(
            text(
                f"select setval(pg_get_serial_sequence('{name}', '{key}'), "
                f"coalesce((select max({key}) from {name}), 0) + 1, false)"
            )
        )


def _columns(frame: Frame) -> str:
    return ", ".join(frame.columns)


def _sqlite_insert(conn: Connection, frame: Frame) -> None:
    marks = ", ".join("?" * len(frame.columns))
    rows = list(zip(*python_columns(frame), strict=True))
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(f"insert into {frame.table} ({_columns(frame)}) values ({marks})", rows)
    finally:
        cursor.close()


def _postgres_copy(conn: Connection, frame: Frame) -> None:
    data = csv_bytes(frame)
    raw = conn.connection.dbapi_connection
    with raw.cursor() as cursor, cursor.copy(  # type: ignore[union-attr]
        f"copy {frame.table} ({_columns(frame)}) from stdin (format csv)"
    ) as copy:
        copy.write(data)


def _mariadb_load_data(conn: Connection, frame: Frame) -> None:
    # an unquoted NULL is read as NULL; strings are always quoted, so the text 'NULL' is not
    data = csv_bytes(frame, null="NULL")
    handle, path = tempfile.mkstemp(prefix="shopdb-", suffix=".csv")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            loaded = cursor.execute(
                f"load data local infile '{path}' into table {frame.table} character set utf8mb4 "
                "fields terminated by ',' optionally enclosed by '\"' escaped by '' "
                f"lines terminated by '\\n' ({_columns(frame)})"
            )
            cursor.execute("show warnings")
            warnings = cursor.fetchall()
        finally:
            cursor.close()
    finally:
        os.unlink(path)
    # LOAD DATA LOCAL downgrades bad values and duplicate keys to warnings: refuse them
    if warnings or loaded != len(frame):
        first = warnings[0][2] if warnings else f"{loaded} of {len(frame)} rows loaded"
        raise LoadError(f"MariaDB refused rows of {frame.table}: {first}")


__all__ = ["BulkSession", "LoadError", "reset_sequences", "secondary_indexes", "table_of", "write_frame"]
