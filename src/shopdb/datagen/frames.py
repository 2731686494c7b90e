"""Generated rows as columns: a table name and one NumPy array per column.

Conventions every generator and loader shares: timestamps are int64 Unix seconds (UTC),
a NULL timestamp or id is ``-1``, a NULL string is ``None`` in an object array, money is
int64 cents. A column drawn from a few values (a status, a city) is ``Labels``: small
integer codes and the values, so worker processes hand chunks back cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

NULL = -1
"""The value that stands for NULL in an integer or timestamp column."""

# NumPy's element types are documentation here: strict mypy cannot follow mixed
# int/float/object arithmetic through NumPy's overloads
Array = npt.NDArray[Any]
"""An integer column (int64 by convention)."""
AnyArray = npt.NDArray[Any]


@dataclass(frozen=True)
class Labels:
    """A string column as codes into a tuple of values."""

    codes: npt.NDArray[np.integer[Any]]
    values: tuple[str | None, ...]

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, index: AnyArray) -> Labels:
        return Labels(self.codes[index], self.values)

    def strings(self) -> AnyArray:
        """The column as an object array of strings."""
        table = np.empty(len(self.values), dtype=object)
        table[:] = self.values
        return np.asarray(table[self.codes])


@dataclass(frozen=True)
class Text:
    """A string column of ASCII text all of one width: a ``(rows, width)`` uint8 matrix.

    Built without a Python string per row (tracking numbers); the lake takes the bytes
    as they are, a database load asks for ``strings``.
    """

    chars: npt.NDArray[np.uint8]

    def __len__(self) -> int:
        return len(self.chars)

    def __getitem__(self, index: AnyArray) -> Text:
        return Text(self.chars[index])

    def strings(self) -> AnyArray:
        """The column as an object array of strings."""
        width = self.chars.shape[1]
        rows = np.ascontiguousarray(self.chars).view(f"S{width}").ravel()
        return np.asarray(rows.astype(f"U{width}").astype(object))


Column = AnyArray | Labels | Text


def labels(values: tuple[str | None, ...] | list[str | None], codes: AnyArray) -> Labels:
    """A ``Labels`` column with the smallest integer type that holds the codes."""
    kind = np.uint8 if len(values) < 256 else np.uint16 if len(values) < 65536 else np.int32
    return Labels(np.asarray(codes).astype(kind), tuple(values))


def constant(value: str | None, n: int) -> Labels:
    """A column holding ``value`` ``n`` times."""
    return Labels(np.zeros(n, dtype=np.uint8), (value,))


@dataclass
class Frame:
    """Rows of one table as columns, in the table's column order."""

    table: str
    columns: dict[str, Column]

    def __len__(self) -> int:
        first = next(iter(self.columns.values()), None)
        return 0 if first is None else len(first)

    def take(self, index: AnyArray) -> Frame:
        """The rows at ``index``, in that order."""
        return Frame(self.table, {k: v[index] for k, v in self.columns.items()})


def concat(frames: list[Frame]) -> Frame:
    """Stack frames of the same table."""
    names = list(frames[0].columns)
    return Frame(frames[0].table, {n: _stack([f.columns[n] for f in frames]) for n in names})


def _stack(parts: list[Column]) -> Column:
    if isinstance(parts[0], Text):
        return Text(np.concatenate([p.chars for p in parts]))  # type: ignore[union-attr]
    if not isinstance(parts[0], Labels):
        return np.concatenate([np.asarray(p) for p in parts])
    values: list[str | None] = []
    for part in parts:
        values.extend(v for v in part.values if v not in values)  # type: ignore[union-attr]
    position = {v: i for i, v in enumerate(values)}
    codes = [
        np.array([position[v] for v in p.values])[p.codes]  # type: ignore[union-attr]
        for p in parts
    ]
    return labels(values, np.concatenate(codes))


def group_sums(keys: Array, *values: Array) -> tuple[Array, list[Array]]:
    """The distinct ``keys`` (ascending) and each of ``values`` summed per key."""
    if len(keys) == 0:
        return keys.astype(np.int64), [np.zeros(0, dtype=np.int64) for _ in values]
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    sums = [np.add.reduceat(np.asarray(v, dtype=np.int64)[order], starts) for v in values]
    return ordered[starts], sums
