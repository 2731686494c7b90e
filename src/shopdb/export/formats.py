"""CSV and Parquet files, one per table, written chunk by chunk."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Table
from sqlalchemy.engine import Connection

from shopdb.db.rows import (
    Render,
    column_kind,
    data_columns,
    read_chunks,
    render_chunk,
    renderers_for,
    utc_text,
)

if TYPE_CHECKING:
    import pyarrow as pa


def write_csv(conn: Connection, table: Table, path: Path) -> int:
    """Write ``table`` as CSV with a header row; return the number of rows.

    Strings are always quoted (quotes doubled), integers and timestamps never, and NULL
    is an empty unquoted field, so an empty string (``""``) and NULL stay distinct:
    PostgreSQL's ``COPY ... (FORMAT csv, HEADER)`` reads it as it is.
    """
    columns = data_columns(table)
    renderers, nullable = renderers_for(columns, _CSV)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(c.name for c in columns) + "\n")
        for chunk in read_chunks(conn, table):
            rows = render_chunk(renderers, nullable, "", chunk)
            out.write("".join(",".join(row) + "\n" for row in rows))
            count += len(chunk)
    return count


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


_CSV: dict[str, Render] = {"int": str, "text": _quote, "timestamp": utc_text}


def parquet_schema(table: Table) -> pa.Schema:
    """The Arrow schema of a table: int64, string and UTC microsecond timestamps."""
    import pyarrow as pa  # imported here: a second of start-up that only Parquet needs

    arrow = {"int": pa.int64(), "text": pa.string(), "timestamp": pa.timestamp("us", tz="UTC")}
    return pa.schema(
        [
            pa.field(c.name, arrow[column_kind(c)], nullable=bool(c.nullable))
            for c in data_columns(table)
        ]
    )


def write_parquet(conn: Connection, table: Table, path: Path) -> int:
    """Write ``table`` as Parquet, one row group per chunk; return the number of rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

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
