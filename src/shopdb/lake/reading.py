"""Opening a lake for reading, and running the catalogue's queries on a lake engine.

Both engines (``duck``, ``spark``) read the files the manifest lists, never a folder
listing, so a reader sees one complete export even while the next one is being written.
The catalogue's SQL is the same ``queries/sql/*.sql`` every backend runs, with its
fragments expanded for the engine's dialect (``duckdb`` or ``spark``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.parquet as pq

from shopdb.errors import NotFound
from shopdb.lake.arrowdata import lake_schema
from shopdb.lake.layout import LAKE_TABLES, LakeError, Manifest, read_manifest
from shopdb.queries.runner import QueryResult, bind_values, get_query, sql_text


@dataclass(frozen=True)
class OpenLake:
    """A checked lake: its folder, its manifest and each table's files."""

    folder: Path
    manifest: Manifest
    files: dict[str, list[Path]]


def open_lake(folder: Path) -> OpenLake:
    """Read the manifest and check every file it lists is there and readable.

    Each file's Parquet footer is read (not its data) and its row count compared with
    the manifest's, so a missing, truncated or foreign file is named before any query.

    Raises:
        LakeError: not a lake, another schema revision, or a missing or corrupt file.
    """
    manifest = read_manifest(folder)
    files: dict[str, list[Path]] = {}
    for table in LAKE_TABLES:
        entry = manifest.tables[table.name]
        for month in sorted(entry.partitions):
            part = entry.partitions[month]
            _check_file(folder, part.file, part.row_count)
        files[table.name] = manifest.table_files(table.name, folder)
    return OpenLake(folder, manifest, files)


def _check_file(folder: Path, name: str, row_count: int) -> None:
    path = folder / name
    try:
        rows = pq.read_metadata(path).num_rows
    except (OSError, pa.ArrowException) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LakeError(f"the lake's file {name} is corrupt: {first}") from None
    if rows != row_count:
        raise LakeError(f"the lake's file {name} holds {rows} rows, its manifest says {row_count}")


_ENGINE_TYPES = {
    "duckdb": {"int64": "bigint", "string": "varchar", "timestamp[us, tz=UTC]": "timestamptz"},
    "spark": {"int64": "bigint", "string": "string", "timestamp[us, tz=UTC]": "timestamp"},
}


def engine_columns(table_name: str, dialect: str) -> list[tuple[str, str]]:
    """The lake table's columns with their types in the engine's SQL."""
    schema = lake_schema(next(t for t in LAKE_TABLES if t.name == table_name))
    return [(f.name, _ENGINE_TYPES[dialect][str(f.type)]) for f in schema]


def empty_select(table_name: str, dialect: str) -> str:
    """A SELECT of no rows with the table's columns and types: the view of an empty table."""
    columns = ", ".join(
        f"cast(null as {kind}) as {name}" for name, kind in engine_columns(table_name, dialect)
    )
    return f"select {columns} where 1 = 0"


class LakeEngine(Protocol):
    """An engine over a lake's tables: DuckDB or Spark."""

    dialect: str

    def fetch(
        self, sql: str, values: Mapping[str, Any], timestamps: Sequence[str]
    ) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
        """Run ``sql`` with ``values`` bound; timestamp columns come back aware UTC."""


def run_lake_query(engine: LakeEngine, name: str, **params: Any) -> QueryResult:
    """Run catalogue query ``name`` on a lake engine: the rows SQLite gives on the same data.

    Raises:
        InvalidInput: an unknown query or a bad parameter; nothing was run.
        NotFound: ``category_id`` names no category.
        LakeError: the engine could not read the lake.
    """
    spec = get_query(name)
    values = bind_values(spec, params)
    if values.get("category_id"):
        sql = "select count(*) from categories where category_id = :category_id"
        _, found = engine.fetch(sql, {"category_id": values["category_id"]}, ())
        if not found[0][0]:
            raise NotFound(f"no category with id {values['category_id']}")
    timestamps = [c.name for c in spec.columns if c.kind == "timestamp"]
    columns, rows = engine.fetch(sql_text(name, engine.dialect), values, timestamps)
    if columns != spec.column_names:
        raise RuntimeError(f"{name}.sql returns {columns} on {engine.dialect}")
    return QueryResult(columns, [tuple(normalize(v) for v in row) for row in rows])


def normalize(value: Any) -> Any:
    """An engine's value as the row stores return it: ints, str, aware UTC datetimes."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value
