"""Per-month fingerprints of the partitioned tables, computed by the database in SQL.

An incremental export asks the database, inside its snapshot, for each partitioned
table's fingerprint per month: the row count, the sum of the primary keys, and the sum
over rows of ``key x value(row)`` modulo a prime, where ``value(row)`` mixes every
column (integers as they are, timestamps as microseconds since 1970, strings by length
and first character, NULL as a marker). A month whose fingerprint differs from the one
stored in the manifest is re-exported; the rest are kept.

Why this finds every change, including transactions that commit out of id order: the
fingerprint describes the rows the snapshot sees, not a watermark of ids or times. An
order committed late with an early id (or an early ``created_at``) changes its month's
count and key sum whenever it becomes visible; a status change moves ``updated_at`` and
the status; a payment, history row, shipment or refund lands in its order's month,
because children are partitioned by the order's month. What it could miss: an edit that
keeps every integer and timestamp and changes a string to another of the same length and
first character without touching ``updated_at``; no service in shopdb makes one, and
the small whole tables (users, products, ...) are compared by their full content digest.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.types import Integer, String

from shopdb.db.types import UtcDateTime
from shopdb.lake.layout import LakeTable
from shopdb.queries import fragments

PRIME = 1_000_000_007

_CHAR_CODE = {"sqlite": "unicode", "mysql": "ord", "postgresql": "ascii"}
_EPOCH_MICROS = {
    # SQLite stores 'YYYY-MM-DD HH:MM:SS.ffffff'; julianday parses it without formatting
    # it again (strftime('%s') costs twice as much per row): a double with a resolution
    # under a millisecond, the same for the same text, which is all a fingerprint needs
    "sqlite": "cast((julianday({c}) - 2440587.5) * 86400000000 as integer)",
    "mysql": "timestampdiff(microsecond, '1970-01-01', {c})",
    "postgresql": "cast(extract(epoch from {c}) * 1000000 as bigint)",
}


_MONTH_INDEX = {
    # the text's year and month digits: no date parsing, once per row of every table
    "sqlite": "(cast(substr({c}, 1, 4) as integer) * 12 + cast(substr({c}, 6, 2) as integer) - 1)",
}


def month_label(index: int) -> str:
    """A month index (``year * 12 + month - 1``) as ``YYYY-MM``."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _value(table: LakeTable, dialect: str) -> str:
    terms = []
    for weight, column in enumerate(table.table.columns, start=3):
        if column.computed is not None:
            continue
        c = f"t.{column.name}"
        if isinstance(column.type, UtcDateTime):
            term = f"coalesce({_EPOCH_MICROS[dialect].format(c=c)}, -5)"
        elif isinstance(column.type, String):
            code = _CHAR_CODE[dialect]
            term = f"coalesce(length({c}) * 4099 + coalesce({code}({c}), 0), -3)"
        elif isinstance(column.type, Integer):
            term = f"coalesce({c}, -7)"
        else:
            raise TypeError(f"no fingerprint for {column} of type {column.type}")
        terms.append(f"{weight} * {term}")
    return " + ".join(terms)


def fingerprint_sql(table: LakeTable, dialect: str) -> str:
    """The query giving ``month_index, row_count, key_sum, mix`` per month of ``table``."""
    assert table.month_of is not None
    key = table.key
    source = f"{table.name} as t"
    mix = f"((t.{key} % {PRIME}) * (({_value(table, dialect)}) % {PRIME})) % {PRIME}"
    sums = f"count(*) as row_count, sum(t.{key}) as key_sum, sum({mix}) as mix"
    parent, column = table.month_of
    month = f"t.{column}"
    if parent != table.name:
        source += f" inner join {parent} as p on p.order_id = t.order_id"
        month = f"p.{column}"
    if dialect in _MONTH_INDEX:
        index = _MONTH_INDEX[dialect].format(c=month)
    else:
        index = fragments.expand(f"{{month_index({month})}}", dialect)
    return f"select {index} as month_index, {sums} from {source} group by 1"


def fingerprints(conn: Connection, table: LakeTable, dialect: str) -> dict[str, list[int]]:
    """Each month of ``table`` that has rows, and its fingerprint, as the snapshot sees it."""
    rows = conn.execute(text(fingerprint_sql(table, dialect))).all()
    return {month_label(int(r[0])): [int(r[1]), int(r[2]), int(r[3])] for r in rows}


_TEXT = {"sqlite": "text", "postgresql": "text", "mysql": "char"}
CONTENT_BATCH = 100_000
"""Rows fetched at a time for a whole table's content hash."""


def content_sql(table: LakeTable, dialect: str) -> str:
    """Each row of a table kept whole as one line of text, in key order.

    Every column becomes its text (a string led by its length, NULL a marker), so the
    lines differ exactly when the rows do: unlike the monthly fingerprint, this sees any edit,
    which matters for users, products and categories, whose strings services change.
    """
    parts = []
    for column in table.table.columns:
        if column.computed is not None:
            continue
        c = f"t.{column.name}"
        if isinstance(column.type, String):
            # its length first, so no string can pass for the separator and the next
            parts.append(f"coalesce(length({c}), -1)")
            parts.append(f"coalesce({c}, '')")
        else:
            parts.append(f"coalesce(cast({c} as {_TEXT[dialect]}), '~')")
    if dialect == "mysql":
        line = f"concat_ws('|', {', '.join(parts)})"
    else:
        line = " || '|' || ".join(parts)
    return f"select {line} from {table.name} as t order by t.{table.key}"


def content_fingerprint(conn: Connection, table: LakeTable, dialect: str) -> list[int]:
    """A table kept whole: its row count and a 60-bit hash of its rows' text, in key order.

    The database renders the rows (``content_sql``); only one string per row reaches
    Python, which is several times cheaper than reading the rows as values.
    """
    digest = hashlib.sha256()
    rows = 0
    result = conn.exec_driver_sql(content_sql(table, dialect))
    try:
        while batch := result.fetchmany(CONTENT_BATCH):
            rows += len(batch)
            digest.update("\n".join(r[0] for r in batch).encode())
            digest.update(b"\n")
    finally:
        result.close()
    return [rows, int(digest.hexdigest()[:15], 16)]
