"""The ``product_pairs`` rollup's rows from the generator's items, in NumPy.

Each order's items are sorted by product; the pairs of an order are then its item at
each position with every later one, found for all orders at once by comparing the item
list with itself shifted by 1, 2, ... positions (as many shifts as the largest order has
items). A pair is one int64 key, ``lower product << 32 | higher product``.
"""

from __future__ import annotations

import numpy as np

from shopdb.datagen.frames import Array, Frame

_PRODUCT_BITS = 32


def pair_keys(order_ids: Array, product_ids: Array) -> Array:
    """One key per pair of products in the same order, for the items ``(order_ids[i],
    product_ids[i])`` (no product twice in one order)."""
    order = np.lexsort((product_ids, order_ids))
    orders, products = order_ids[order], product_ids[order]
    keys = []
    shift = 1
    while shift < len(orders):
        same = orders[shift:] == orders[:-shift]
        if not same.any():
            break  # no order has more than ``shift`` items
        keys.append((products[:-shift][same] << _PRODUCT_BITS) | products[shift:][same])
        shift += 1
    return np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)


def pairs_frame(keys: Array) -> Frame:
    """The ``product_pairs`` rows: each distinct key of ``keys`` and how often it occurs."""
    pairs, counts = np.unique(keys, return_counts=True)
    return Frame(
        "product_pairs",
        {
            "product_a_id": pairs >> _PRODUCT_BITS,
            "product_b_id": pairs & ((1 << _PRODUCT_BITS) - 1),
            "pair_orders": counts.astype(np.int64),
        },
    )
