"""Faster equivalents of two NumPy calls the generator makes per chunk: same results.

``numpy.searchsorted`` of random values in a large sorted array misses the cache on
every step of every binary search; searching the values in sorted order walks the
array once (about 5 times faster for a chunk's orders among 6 million users).
``numpy.unique`` hashes its input before sorting it (NumPy 2), which is slower than a
plain sort when the values are nearly sorted already, as the baskets' keys are.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import numpy.typing as npt

AnyArray = npt.NDArray[Any]


def search(sorted_array: AnyArray, values: AnyArray, side: Literal["left", "right"]) -> AnyArray:
    """``numpy.searchsorted(sorted_array, values, side=side)``, with the values sorted first."""
    values = np.asarray(values)
    # equal values get the same answer, so any sorting order will do: quicksort is about
    # four times faster than a stable sort of a chunk's random draws
    order = np.argsort(values)
    out = np.empty(len(values), dtype=np.intp)
    out[order] = np.searchsorted(sorted_array, values[order], side=side)
    return out


def distinct(values: AnyArray) -> AnyArray:
    """``numpy.unique(values)`` of a one-dimensional array: its distinct values, sorted."""
    ordered = np.sort(np.asarray(values))
    if len(ordered) == 0:
        return ordered
    return np.asarray(ordered[np.concatenate([[True], ordered[1:] != ordered[:-1]])])
