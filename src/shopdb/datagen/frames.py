"""Generated rows as columns: a table name and one NumPy array per column.

Conventions every generator and loader shares: timestamps are int64 Unix seconds (UTC),
a NULL timestamp or id is ``-1``, a NULL string is ``None`` in an object array, money is
int64 cents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

NULL = -1
"""The value that stands for NULL in an integer or timestamp column."""

Array = npt.NDArray[np.int64]
AnyArray = npt.NDArray[np.generic]


@dataclass
class Frame:
    """Rows of one table as columns, in the table's column order."""

    table: str
    columns: dict[str, AnyArray]

    def __len__(self) -> int:
        first = next(iter(self.columns.values()), None)
        return 0 if first is None else len(first)

    def take(self, index: AnyArray) -> Frame:
        """The rows at ``index``, in that order."""
        return Frame(self.table, {k: v[index] for k, v in self.columns.items()})


def concat(frames: list[Frame]) -> Frame:
    """Stack frames of the same table."""
    names = list(frames[0].columns)
    return Frame(frames[0].table, {n: np.concatenate([f.columns[n] for f in frames]) for n in names})
