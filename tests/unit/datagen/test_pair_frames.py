"""The generator's product pairs, counted in NumPy, are the pairs of every order's items."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import numpy as np

from shopdb.datagen.pair_frames import pair_keys, pairs_frame


def _brute_force(orders: list[int], products: list[int]) -> Counter[tuple[int, int]]:
    baskets: dict[int, list[int]] = {}
    for order, product in zip(orders, products, strict=True):
        baskets.setdefault(order, []).append(product)
    return Counter(pair for basket in baskets.values() for pair in combinations(sorted(basket), 2))


def test_pairs_of_random_baskets_match_brute_force() -> None:
    rng = np.random.default_rng(7)
    orders, products = [], []
    for order in rng.permutation(400):  # orders in no particular order, of 1 to 9 items
        basket = rng.choice(60, size=int(rng.integers(1, 10)), replace=False)
        orders += [int(order)] * len(basket)
        products += [int(p) for p in basket]
    shuffle = rng.permutation(len(orders))
    o = np.asarray(orders, dtype=np.int64)[shuffle]
    p = np.asarray(products, dtype=np.int64)[shuffle]

    frame = pairs_frame(pair_keys(o, p))
    c = frame.columns
    got = {
        (int(a), int(b)): int(n)
        for a, b, n in zip(c["product_a_id"], c["product_b_id"], c["pair_orders"], strict=True)
    }

    assert got == dict(_brute_force(orders, products))
    assert all(a < b for a, b in got)


def test_orders_of_one_item_make_no_pairs() -> None:
    keys = pair_keys(np.asarray([1, 2, 3], dtype=np.int64), np.asarray([5, 5, 6], dtype=np.int64))
    assert len(keys) == 0
    assert len(pairs_frame(keys)) == 0
