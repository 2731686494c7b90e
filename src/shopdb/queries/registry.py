"""What a query is: its name, one line of description, its columns and its parameters."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from shopdb.queries.params import Param

COLUMN_KINDS = ("int", "text", "timestamp")


@dataclass(frozen=True)
class Column:
    """One result column: its name, ``int``/``text``/``timestamp``, and what it holds."""

    name: str
    kind: str
    help: str


@dataclass(frozen=True)
class QuerySpec:
    """One analytics query, its SQL in ``sql/<name>.sql``.

    Attributes:
        name: the query's name, also its file name.
        description: one line for ``shopdb query --list``.
        columns: the result's columns, in order; a contract for callers.
        params: the parameters it takes; each is bound, never pasted.
        derive: computes further bound values from the checked ones (a window's start
            from ``as_of`` and its length), so no SQL does date arithmetic on binds.
    """

    name: str
    description: str
    columns: tuple[Column, ...]
    params: tuple[Param, ...] = ()
    derive: Callable[[Mapping[str, Any]], dict[str, Any]] | None = field(
        default=None, compare=False
    )

    @property
    def column_names(self) -> tuple[str, ...]:
        """The result's column names, in order."""
        return tuple(c.name for c in self.columns)

    def param(self, name: str) -> Param | None:
        """The parameter called ``name``, or None."""
        return next((p for p in self.params if p.name == name), None)


def cols(*specs: str) -> tuple[Column, ...]:
    """Columns from ``"name kind: help"`` strings, to keep the catalogue short."""
    out = []
    for spec in specs:
        head, _, help_text = spec.partition(":")
        name, kind = head.split()
        if kind not in COLUMN_KINDS:
            raise ValueError(f"column {name}: unknown kind {kind}")
        out.append(Column(name, kind, help_text.strip()))
    return tuple(out)
