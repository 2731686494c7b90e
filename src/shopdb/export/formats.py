"""CSV and Parquet files, one per table, written chunk by chunk."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Table
from sqlalchemy.engine import Connection

from shopdb.export.values import TIMESTAMP_FORMAT, column_kind, export_columns, read_chunks


def write_csv(conn: Connection, table: Table, path: Path) -> int:
    """Write ``table`` as CSV with a header row; return the number of rows.

    Strings are always quoted (quotes doubled), integers and timestamps never, and NULL
    is an empty unquoted field, so an empty string (``""``) and NULL stay distinct:
    PostgreSQL's ``COPY ... (FORMAT csv, HEADER)`` reads it as it is.
    """
    columns = export_columns(table)
    renderers = [_CSV[column_kind(c)] for c in columns]
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(c.name for c in columns) + "\n")
        for chunk in read_chunks(conn, table):
            out.write(
                "".join(
                    ",".join("" if v is None else r(v) for r, v in zip(renderers, row, strict=True))
                    + "\n"
                    for row in chunk
                )
            )
            count += len(chunk)
    return count


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime(TIMESTAMP_FORMAT)


_CSV: dict[str, Callable[[Any], str]] = {"int": str, "text": _quote, "timestamp": _timestamp}

_ARROW = {"int": pa.int64(), "text": pa.string(), "timestamp": pa.timestamp("us", tz="UTC")}


def parquet_schema(table: Table) -> pa.Schema:
    """The Arrow schema of a table: int64, string and UTC microsecond timestamps."""
    return pa.schema(
        [
            pa.field(c.name, _ARROW[column_kind(c)], nullable=bool(c.nullable))
            for c in export_columns(table)
        ]
    )


def write_parquet(conn: Connection, table: Table, path: Path) -> int:
    """Write ``table`` as Parquet, one row group per chunk; return the number of rows."""
    schema = parquet_schema(table)
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        for chunk in read_chunks(conn, table):
            arrays = [
                pa.array(values, type=field.type)
                for field, values in zip(schema, zip(*chunk, strict=True), strict=True)
            ]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            count += len(chunk)
        if count == 0:
            writer.write_table(schema.empty_table())
    return count
