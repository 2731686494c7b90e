"""Basket associations: lift of product pairs, and whether the catalogue calls them complements.

A pair is a complement when the catalogue's rules (``datagen.complements``) link the
nouns the two products are named by: a camera and a memory card, a printer and toner.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from shopdb.datagen.catalog_data import TREE
from shopdb.datagen.complements import COMPLEMENT_RULES
from shopdb.realism.measures import Rows, Values

FREQUENT = 10
"""How many of the most frequent pairs ``frequently_bought_together`` shows by default."""
STRONG_MIN_ORDERS = 5
"""Pairs ranked by lift need this many orders, so chance co-occurrences stay out."""


@dataclass(frozen=True)
class Pair:
    """Two products bought together: their names, orders together and lift."""

    product_a: str
    product_b: str
    pair_orders: int
    lift: float
    is_complement: bool


@cache
def _complement_nouns() -> frozenset[frozenset[str]]:
    # a noun paired with itself (two novels, two comic collections) is a frozenset of one
    return frozenset(
        frozenset((a, c))
        for anchors, complements in COMPLEMENT_RULES
        for a in anchors.split(",")
        for c in complements.split(",")
    )


@cache
def _leaf_nouns() -> dict[str, tuple[str, ...]]:
    out = {leaf.name: leaf.nouns for top in TREE for leaf in top.leaves}
    # longest first, so 'Action Camera' is found before 'Camera'
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


def noun_of(name: str, leaf: str) -> str | None:
    """The catalogue noun a product called ``name`` in leaf ``leaf`` is named by."""
    return next((n for n in _leaf_nouns().get(leaf, ()) if n in name), None)


def pairs_from(rows: Rows) -> list[Pair]:
    """``Pair``s from ``product_pairs`` rows, most frequent first."""
    out = []
    for row in rows:
        _, _, together, a_orders, b_orders, total, leaf_a, leaf_b, name_a, name_b = row
        lift = int(together) * int(total) / (int(a_orders) * int(b_orders))
        nouns = frozenset((noun_of(name_a, leaf_a), noun_of(name_b, leaf_b)))
        out.append(Pair(name_a, name_b, int(together), lift, nouns in _complement_nouns()))
    return out


def pair_measures(pairs: list[Pair]) -> Values:
    """Top lift among the most frequent pairs; complement share of the strongest pairs."""
    frequent = pairs[:FREQUENT]
    strong = strongest(pairs)
    return {
        "top_pair_lift": max((p.lift for p in frequent), default=None),
        "complement_pairs": (
            sum(p.is_complement for p in strong) / len(strong) if strong else None
        ),
    }


def strongest(pairs: list[Pair], count: int = FREQUENT) -> list[Pair]:
    """The ``count`` pairs with the highest lift among those bought together often enough."""
    often = [p for p in pairs if p.pair_orders >= STRONG_MIN_ORDERS]
    return sorted(often, key=lambda p: (-p.lift, -p.pair_orders, p.product_a))[:count]


def pair_dict(pair: Pair) -> dict[str, Any]:
    """A pair as JSON-ready values."""
    return {
        "product_a": pair.product_a,
        "product_b": pair.product_b,
        "pair_orders": pair.pair_orders,
        "lift": round(pair.lift, 2),
        "is_complement": pair.is_complement,
    }
