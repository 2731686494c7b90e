"""A lake's row counts and content checksums, in the form ``shopdb checksum`` prints.

``lake_checksums`` reads each data table from the lake's files, orders it by primary
key and renders it exactly as ``shopdb.checksum`` renders a database's rows, so a lake
and the database it came from (or the one the generator would have filled) can be
compared table by table. It also checks the columns a table carries from another
(``check_carried``: each order item's ``order_status`` and ``order_created_at`` are its
order's), so every test comparing a lake with its database checks those too.
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
from shopdb.lake.layout import LAKE_TABLES, LakeError
from shopdb.lake.reading import OpenLake, open_lake

BATCH_ROWS = 10_000


def lake_checksums(folder: Path) -> dict[str, TableChecksum]:
    """Checksum each data table of the lake in ``folder``, like ``table_checksums``.

    Raises:
        LakeError: ``folder`` is not a readable lake, or a carried column does not hold
            its source's values (``check_carried``).
    """
    lake = open_lake(folder)
    check_carried(lake)
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


def check_carried(lake: OpenLake) -> None:
    """Check every carried column (``LakeTable.carried``) holds its source row's values.

    Raises:
        LakeError: a row's source row is missing, or a carried value differs from it;
            the message names the table, the column and how many rows.
    """
    for spec in LAKE_TABLES:
        if spec.carried_from is None:
            continue
        names = [name for name, _ in spec.carried]
        rows = _read(lake, spec.name, ["order_id", *names])
        source = _read(lake, spec.carried_from, ["order_id", *(c for _, c in spec.carried)])
        source = source.rename_columns(["order_id", *(f"source_{n}" for n in names)])
        joined = rows.join(source, "order_id", join_type="left outer")
        for name in names:
            same = pc.fill_null(pc.equal(joined[name], joined[f"source_{name}"]), False)
            both_null = pc.and_(pc.is_null(joined[name]), pc.is_null(joined[f"source_{name}"]))
            wrong = len(joined) - pc.sum(pc.or_(same, both_null)).as_py()
            if wrong or len(joined) != len(rows):
                raise LakeError(
                    f"the lake's {spec.name}.{name} differs from {spec.carried_from} "
                    f"on {wrong} rows: export or generate the lake again"
                )


def _read(lake: OpenLake, table: str, columns: list[str]) -> pa.Table:
    spec = next(t for t in LAKE_TABLES if t.name == table)
    schema = lake_schema(spec)
    parts = [pq.read_table(f, columns=columns, schema=schema) for f in lake.files[table]]
    if not parts:
        return schema.empty_table().select(columns)
    return pa.concat_tables(parts)
