"""The entity-relationship diagram, generated from the schema's ``MetaData``."""

from __future__ import annotations

import shutil
import subprocess

from sqlalchemy import Column, Table, UniqueConstraint

from shopdb.db.lake_log import lake_deltas, lake_versions
from shopdb.db.rollup_schema import ROLLUP_TABLES
from shopdb.db.schema import (
    DATA_TABLES,
    api_keys,
    generation_runs,
    idempotency_keys,
    staff_accounts,
)
from shopdb.errors import ShopError

FORMATS = ("mermaid", "dot", "svg")
_TABLES: tuple[Table, ...] = (
    *DATA_TABLES,
    generation_runs,
    *ROLLUP_TABLES,
    lake_deltas,
    lake_versions,
    api_keys,
    idempotency_keys,
    staff_accounts,
)


def render(fmt: str) -> str:
    """The diagram as Mermaid or Graphviz dot source."""
    if fmt == "mermaid":
        return mermaid()
    if fmt == "dot":
        return dot()
    raise ValueError(f"unknown ERD format {fmt!r}")


_TYPE_NAMES = {"biginteger": "bigint", "utcdatetime": "timestamp", "string": "varchar"}


def _type_name(column: Column[object]) -> str:
    name = type(column.type).__name__.lower()
    return _TYPE_NAMES.get(name, name)


def _unique_alone(column: Column[object]) -> bool:
    """Whether ``column`` by itself is a key, so at most one row has each value."""
    return (column.primary_key and len(column.table.primary_key.columns) == 1) or any(
        isinstance(uc, UniqueConstraint) and list(uc.columns.keys()) == [column.name]
        for uc in column.table.constraints
    )


def _key_marks(column: Column[object]) -> list[str]:
    marks = []
    if column.primary_key:
        marks.append("PK")
    if column.foreign_keys:
        marks.append("FK")
    table = column.table
    if any(
        isinstance(uc, UniqueConstraint) and list(uc.columns.keys()) == [column.name]
        for uc in table.constraints
    ):
        marks.append("UK")
    return marks


def mermaid() -> str:
    """The diagram as a Mermaid ``erDiagram``."""
    lines = ["erDiagram"]
    for table in _TABLES:
        for column in table.columns:
            for fk in column.foreign_keys:
                parent = fk.column.table.name
                # parent side: optional FK is zero-or-one; child side: a unique FK
                # (inventory, shipments) allows at most one child per parent
                card = ("|o" if column.nullable else "||") + "--"
                card += "o|" if _unique_alone(column) else "o{"
                lines.append(f'    {parent} {card} {table.name} : "{column.name}"')
    for table in _TABLES:
        lines.append(f"    {table.name} {{")
        for column in table.columns:
            marks = ",".join(_key_marks(column))
            suffix = f" {marks}" if marks else ""
            lines.append(f"        {_type_name(column)} {column.name}{suffix}")
        lines.append("    }")
    return "\n".join(lines) + "\n"


def dot() -> str:
    """The diagram as Graphviz dot, one record-shaped node per table."""
    lines = [
        "digraph shopdb {",
        "    graph [rankdir=LR, fontname=Helvetica];",
        "    node [shape=plain, fontname=Helvetica, fontsize=10];",
        "    edge [fontname=Helvetica, fontsize=9, arrowhead=crow, arrowtail=tee, dir=both];",
    ]
    for table in _TABLES:
        rows = [f'<tr><td bgcolor="#dbe8f5" port="_"><b>{table.name}</b></td></tr>']
        for column in table.columns:
            marks = " ".join(_key_marks(column))
            label = f"{column.name} <i>{_type_name(column)}</i>{' ' + marks if marks else ''}"
            rows.append(f'<tr><td align="left" port="{column.name}">{label}</td></tr>')
        body = "".join(rows)
        lines.append(
            f'    {table.name} [label=<<table border="0" cellborder="1" cellspacing="0">'
            f"{body}</table>>];"
        )
    for table in _TABLES:
        for column in table.columns:
            for fk in column.foreign_keys:
                parent = fk.column.table.name
                one = " [arrowhead=teeodot]" if _unique_alone(column) else ""
                lines.append(f"    {parent}:{fk.column.name} -> {table.name}:{column.name}{one};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def svg() -> str:
    """The diagram rendered to SVG by Graphviz's ``dot`` program.

    Raises:
        ShopError: Graphviz is not installed.
    """
    exe = shutil.which("dot")
    if exe is None:
        raise ShopError("rendering SVG needs Graphviz's 'dot' program (apt-get install graphviz)")
    done = subprocess.run([exe, "-Tsvg"], input=dot(), capture_output=True, text=True, check=True)
    return done.stdout
