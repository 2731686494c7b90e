"""A partition's digest: the definition in ``arrowdata``'s docstring, however it is computed."""

from __future__ import annotations

import hashlib

import pyarrow as pa
import pyarrow.compute as pc

from shopdb.lake.arrowdata import lake_schema
from shopdb.lake.layout import LAKE_TABLES

PAYMENTS = next(t for t in LAKE_TABLES if t.name == "payments")


def _by_definition(schema: pa.Schema, rows: pa.Table) -> str:
    """The digest as documented, one value at a time."""
    total = hashlib.sha256()
    for field in schema:
        valid, values, data = hashlib.sha256(), hashlib.sha256(), hashlib.sha256()
        for value in rows[field.name].to_pylist():
            valid.update(b"\x00" if value is None else b"\x01")
            if pa.types.is_string(field.type):
                text = (value or "").encode()
                values.update(len(text).to_bytes(8, "little", signed=True))
                data.update(text)
            else:
                number = 0 if value is None else value
                if pa.types.is_timestamp(field.type) and value is not None:
                    number = pc.cast(pa.scalar(value, field.type), pa.int64()).as_py()
                values.update(number.to_bytes(8, "little", signed=True))
        hexes = [h.hexdigest() for h in (valid, values, data)]
        total.update(("\t".join([field.name, *hexes]) + "\n").encode())
    return total.hexdigest()


def _payments(n: int) -> pa.Table:
    schema = lake_schema(PAYMENTS)
    columns = []
    for field in schema:
        if pa.types.is_string(field.type):
            # NULLs (where the column takes them), empty and multi-byte strings
            values = [
                None if field.nullable and i % 7 == 3 else ("é" * (i % 4)) + str(i)[: i % 3]
                for i in range(n)
            ]
        elif pa.types.is_timestamp(field.type):
            values = [None if i % 5 == 1 else 1_700_000_000_000_000 + i for i in range(n)]
        else:
            values = [i + 1 if field.name == PAYMENTS.key else (i * 37) % 11 for i in range(n)]
        columns.append(pa.array(values, field.type))
    return pa.Table.from_arrays(columns, schema=schema)


def test_the_digest_is_its_definition_for_slices_chunks_and_nulls() -> None:
    from shopdb.lake.arrowdata import digest_of

    rows = _payments(300)
    strings = [f for f in rows.schema if pa.types.is_string(f.type)]
    assert {rows[f.name].null_count > 0 for f in strings} == {True, False}
    expected = _by_definition(lake_schema(PAYMENTS), rows.slice(20, 250))
    # a slice (buffers with an offset), and the same rows in chunks of another split
    assert digest_of(PAYMENTS, rows.slice(20, 250)) == expected
    chunked = pa.concat_tables([rows.slice(20, 100), rows.slice(120, 150)])
    assert digest_of(PAYMENTS, chunked) == expected
    assert digest_of(PAYMENTS, rows.slice(0, 250)) != expected
