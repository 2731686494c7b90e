"""Product names carry model codes only where real products do, and complements resolve."""

from __future__ import annotations

import re
from datetime import date

import numpy as np

from shopdb.datagen.catalog import build_catalog
from shopdb.datagen.catalog_data import TREE
from shopdb.datagen.complements import COMPLEMENT_RULES, noun_index
from shopdb.datagen.params import make_params

MODEL = re.compile(r" [ASXMV]\d{1,2}$")


def _catalog():  # type: ignore[no-untyped-def]
    return build_catalog(make_params(42, 0.01, date(2026, 12, 1), 3))


def test_only_electronics_and_tools_carry_model_codes() -> None:
    catalog = _catalog()
    names = catalog.products.columns["name"]
    category = np.asarray(catalog.products.columns["category_id"])
    leaf_names = dict(
        zip(
            catalog.categories.columns["category_id"],
            catalog.categories.columns["name"],
            strict=True,
        )
    )
    with_models = {leaf.name for top in TREE for leaf in top.leaves if leaf.models}
    for name, leaf_id in zip(names, category, strict=True):
        leaf = leaf_names[leaf_id]
        assert bool(MODEL.search(name)) == (leaf in with_models), (leaf, name)
    assert {"Laptops", "Power Tools"} <= with_models
    assert not {"Tea", "Fiction", "Men's Clothing", "Sweets"} & with_models


def test_every_complement_rule_names_nouns_of_the_tree() -> None:
    nouns = noun_index()
    for anchors, complements in COMPLEMENT_RULES:
        assert set(anchors.split(",")) <= nouns.keys(), anchors
        assert set(complements.split(",")) <= nouns.keys(), complements


def test_anchor_products_are_linked_to_complements() -> None:
    catalog = _catalog()
    links = catalog.links
    counts = links.count(np.arange(catalog.size))

    assert (counts > 0).mean() > 0.5
    assert (links.target >= 0).all() and (links.target < catalog.size).all()
    # never linked to itself
    sources = np.repeat(np.arange(catalog.size), counts)
    assert (sources != links.target).all()
