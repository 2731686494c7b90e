"""Turn frames into what each driver's bulk path takes: tuples or CSV bytes.

Timestamps become naive UTC text in the same format SQLAlchemy writes (so rows loaded
here and rows written by the services compare correctly); ``-1`` in a nullable integer
or timestamp column and ``None`` in a string column become NULL.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
from sqlalchemy import String, Table

from shopdb.datagen.frames import NULL, AnyArray, Column, Frame, Labels, Text
from shopdb.datagen.timefmt import sqlalchemy_text
from shopdb.db.schema import metadata
from shopdb.db.types import UtcDateTime


def table_of(frame: Frame) -> Table:
    """The schema table a frame belongs to."""
    return metadata.tables[frame.table]


def arrow_table(frame: Frame) -> pa.Table:
    """The frame as an Arrow table typed like the schema (timestamps in seconds)."""
    table = table_of(frame)
    arrays = [_arrow(table, name, column) for name, column in frame.columns.items()]
    return pa.Table.from_arrays(arrays, names=list(frame.columns))


def python_columns(frame: Frame) -> list[list[Any]]:
    """Each column as a list of Python values for ``executemany`` on SQLite.

    Timestamps become SQLAlchemy's text form, formatted column-wise (``timefmt``).
    """
    table = table_of(frame)
    out: list[list[Any]] = []
    for name, column in frame.columns.items():
        if isinstance(column, Labels | Text) or column.dtype == object:
            out.append(strings(column).tolist())
            continue
        values = np.asarray(column, dtype=np.int64)
        timestamp = isinstance(table.c[name].type, UtcDateTime)
        formatted: AnyArray = sqlalchemy_text(values) if timestamp else values
        if table.c[name].nullable and (values == NULL).any():
            boxed = formatted.astype(object)
            boxed[values == NULL] = None
            out.append(boxed.tolist())
        else:
            out.append(formatted.tolist())
    return out


def csv_bytes(frame: Frame, null: str = "") -> bytes:
    """The frame as headerless CSV; NULL written as ``null`` (unquoted), strings quoted."""
    buffer = io.BytesIO()
    options = pa_csv.WriteOptions(include_header=False, null_string=null)
    pa_csv.write_csv(arrow_table(frame), buffer, options)
    return buffer.getvalue()


def _arrow(table: Table, name: str, column: Column) -> pa.Array:
    col = table.c[name]
    if isinstance(column, Labels):
        # decoded by Arrow from the codes: no Python string object per row (a take of
        # the values, a quarter cheaper than casting a dictionary array)
        values = pa.array(column.values, type=pa.string())
        return values.take(pa.array(np.asarray(column.codes)))
    if isinstance(column, Text):
        # the matrix's bytes are the strings' data, every one ``width`` long
        rows, width = column.chars.shape
        offsets = np.arange(0, (rows + 1) * width, width, dtype=np.int32)
        data = np.ascontiguousarray(column.chars)
        return pa.StringArray.from_buffers(rows, pa.py_buffer(offsets), pa.py_buffer(data))
    if isinstance(col.type, String):
        return pa.array(column, type=pa.string())
    values = np.asarray(column, dtype=np.int64)
    mask = (values == NULL) if col.nullable else None
    if isinstance(col.type, UtcDateTime):
        return pa.array(values, type=pa.timestamp("s"), mask=mask)
    return pa.array(values, type=pa.int64(), mask=mask)


def strings(column: Column) -> AnyArray:
    """A string column as an object array."""
    return column.strings() if isinstance(column, Labels | Text) else np.asarray(column)
