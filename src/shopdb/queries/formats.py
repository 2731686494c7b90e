"""A query result as an aligned text table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

from shopdb.queries.runner import QueryResult

FORMATS = ("table", "csv", "json")


def render(result: QueryResult, fmt: str) -> str:
    """``result`` in ``table``, ``csv`` or ``json`` form, ending with a newline."""
    if fmt == "csv":
        return to_csv(result)
    if fmt == "json":
        return to_json(result)
    if fmt == "table":
        return to_table(result)
    raise ValueError(f"unknown format {fmt!r}")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def to_csv(result: QueryResult) -> str:
    """A header line, then one line per row; NULL is an empty field."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows([_text(v) for v in row] for row in result.rows)
    return out.getvalue()


def to_json(result: QueryResult) -> str:
    """An array of objects keyed by column name; timestamps as ISO 8601 text."""
    rows = [
        {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}
        for row in result.as_dicts()
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def to_table(result: QueryResult) -> str:
    """Columns aligned under their names, numbers to the right; a row count at the end."""
    cells = [[_text(v) for v in row] for row in result.rows]
    numeric = [
        all(isinstance(row[i], int) or row[i] is None for row in result.rows)
        for i in range(len(result.columns))
    ]
    widths = [
        max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(result.columns)
    ]

    def line(values: list[str]) -> str:
        parts = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    lines = [line(list(result.columns)), line(["-" * w for w in widths])]
    lines.extend(line(row) for row in cells)
    lines.append(f"({len(cells)} row{'' if len(cells) == 1 else 's'})")
    return "\n".join(lines) + "\n"
