"""DuckDB in-process over a lake: each table a view on the files its manifest lists.

DuckDB's wheel has Parquet built in; extension autoloading and autoinstalling are
switched off, so nothing is ever downloaded. The session's time zone is UTC, so months
and days are counted in UTC like everywhere else in shopdb. Ad hoc SQL (``sql``) is
read-only: only SELECT statements run, in an in-memory database that is thrown away.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from shopdb.errors import InvalidInput
from shopdb.lake.layout import LakeError
from shopdb.lake.reading import OpenLake, empty_select, normalize, open_lake
from shopdb.queries.runner import QueryResult

_BIND = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")

_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": "false",
    "autoload_known_extensions": "false",
}


class DuckLake:
    """A DuckDB connection whose views are the lake's tables. Close it (or use ``with``).

    Raises (when made):
        LakeError: ``folder`` is not a readable lake (see ``reading.open_lake``).
    """

    dialect = "duckdb"

    def __init__(self, folder: Path, *, threads: int | None = None) -> None:
        self.lake: OpenLake = open_lake(folder)
        config = dict(_CONFIG)
        if threads is not None:
            config["threads"] = str(threads)
        self.conn = duckdb.connect(":memory:", config=config)
        try:
            self.conn.execute("set TimeZone = 'UTC'")
            for name, files in self.lake.files.items():
                self.conn.execute(f"create view {name} as {self._source(name, files)}")
            files = self.lake.files["order_items"]
            # the items with each file's hive ``month`` as a column, for the queries that
            # read only some months (``{order_items_placed(...)}``, queries/fragments.py)
            by_month = self._source("order_items", files, hive=True)
            self.conn.execute(f"create view order_items_by_month as {by_month}")
        except BaseException:
            self.conn.close()
            raise

    def _source(self, name: str, files: list[Path], *, hive: bool = False) -> str:
        if not files:
            empty = empty_select(name, self.dialect)
            return f"select *, '' as month from ({empty})" if hive else empty
        listed = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
        return f"select * from read_parquet([{listed}], hive_partitioning = {str(hive).lower()})"

    def fetch(
        self, sql: str, values: Mapping[str, Any], timestamps: Sequence[str] = ()
    ) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
        """Run ``sql`` (``:name`` binds) with ``values``; return column names and rows.

        Raises:
            LakeError: DuckDB could not read a file or run the statement.
        """
        names = set(_BIND.findall(sql))
        bound = {k: v for k, v in values.items() if k in names}
        try:
            cursor = self.conn.execute(_BIND.sub(r"$\1", sql), bound)
            rows = cursor.fetchall()
        except duckdb.Error as exc:
            raise LakeError(f"DuckDB cannot run the query: {_first_line(exc)}") from None
        columns = tuple(d[0] for d in cursor.description or ())
        return columns, rows

    def sql(self, statement: str) -> QueryResult:
        """Run one ad hoc, read-only SELECT over the lake's views.

        Raises:
            InvalidInput: the text is not exactly one SELECT (or has a syntax error).
            LakeError: DuckDB could not read a file or run the statement.
        """
        try:
            statements = self.conn.extract_statements(statement)
        except duckdb.Error as exc:
            raise InvalidInput(f"bad SQL: {_first_line(exc)}") from None
        if len(statements) != 1:
            raise InvalidInput(f"give exactly one SELECT statement, not {len(statements)}")
        if statements[0].type != duckdb.StatementType.SELECT:
            kind = statements[0].type.name.lower()
            raise InvalidInput(f"the lake is read-only: only SELECT runs, not {kind}")
        try:
            cursor = self.conn.execute(statement)
            rows = cursor.fetchall()
        except duckdb.Error as exc:
            raise LakeError(f"DuckDB cannot run the query: {_first_line(exc)}") from None
        columns = tuple(d[0] for d in cursor.description or ())
        return QueryResult(columns, [tuple(normalize(v) for v in row) for row in rows])

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> DuckLake:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
