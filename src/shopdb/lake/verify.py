"""A lake's row counts and content checksums, in the form ``shopdb checksum`` prints.

``lake_checksums`` reads each data table from the lake's files, orders it by primary
key and renders it exactly as ``shopdb.checksum`` renders a database's rows, so a lake
and the database it came from (or the one the generator would have filled) can be
compared table by table.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from shopdb.checksum import TableChecksum, render_rows
from shopdb.db.rows import data_columns
from shopdb.db.schema import DATA_TABLES
from shopdb.lake.arrowdata import lake_schema
from shopdb.lake.layout import LAKE_TABLES
from shopdb.lake.reading import open_lake

BATCH_ROWS = 10_000


def lake_checksums(folder: Path) -> dict[str, TableChecksum]:
    """Checksum each data table of the lake in ``folder``, like ``table_checksums``.

    Raises:
        LakeError: ``folder`` is not a readable lake.
    """
    lake = open_lake(folder)
    out = {}
    for table in DATA_TABLES:
        spec = next(t for t in LAKE_TABLES if t.name == table.name)
        files = lake.files[table.name]
        schema = lake_schema(spec)
        data = pa.concat_tables([pq.read_table(f, schema=schema) for f in files]) if files else None
        columns = data_columns(table)
        digest = hashlib.sha256(("\t".join(c.name for c in columns) + "\n").encode())
        count = 0
        if data is not None:
            data = data.take(pc.sort_indices(data[spec.key]))
            for batch in data.select([c.name for c in columns]).to_batches(BATCH_ROWS):
                rows = list(zip(*(col.to_pylist() for col in batch.columns), strict=True))
                digest.update(render_rows(columns, rows).encode())
                count += len(rows)
        out[table.name] = TableChecksum(count, digest.hexdigest())
    return out
