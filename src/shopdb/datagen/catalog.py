"""The product catalogue: the category tree, products with brands, SKUs and prices.

Every product gets an inventory row and an opening stock receipt (``stock.py``). Product
ids are 1..n; prices are log-normal around each leaf's median with shop-like endings
(.99, .95, .49, .00); popularity is Zipf-like over a random ranking of the products.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopdb.datagen.catalog_data import PRICE_SIGMA, SERIES, TREE
from shopdb.datagen.frames import NULL, AnyArray, Array, Frame
from shopdb.datagen.params import CATALOG, DAY, GenParams, rng

ZIPF_EXPONENT = 1.05
"""Popularity of the product ranked r is proportional to 1 / r ** ZIPF_EXPONENT."""
ENDINGS = np.array([99, 95, 49, 0])
ENDING_WEIGHTS = np.array([0.55, 0.15, 0.12, 0.18])
CATALOGUE_AGE_DAYS = (30, 720)
"""Products were listed between these many days before the period starts."""


@dataclass
class Catalog:
    """The catalogue as frames plus the per-product arrays orders and stock need."""

    categories: Frame
    products: Frame
    price_cents: Array
    popularity: AnyArray
    created_at: Array

    @property
    def size(self) -> int:
        """Number of products."""
        return len(self.price_cents)


def build_catalog(params: GenParams) -> Catalog:
    """Generate the category tree and ``params.scale.products`` products."""
    gen = rng(params, CATALOG)
    categories, leaf_ids, leaf_top = _categories()
    n = params.scale.products
    leaf_weights = gen.gamma(2.0, 1.0, len(leaf_ids))
    leaf = gen.choice(len(leaf_ids), n, p=leaf_weights / leaf_weights.sum())
    top = leaf_top[leaf]
    product_id = np.arange(1, n + 1, dtype=np.int64)
    brand, brand_code = _brands(gen, top)
    names = _names(gen, leaf, brand)
    sku = _object(top_codes())[top] + "-" + brand_code + "-" + _zero_padded(product_id, 6)
    price = _prices(gen, leaf)
    created = params.start_s - gen.integers(
        CATALOGUE_AGE_DAYS[0] * DAY, CATALOGUE_AGE_DAYS[1] * DAY, n
    )
    rank = gen.permutation(n)
    popularity = 1.0 / (rank + 1.0) ** ZIPF_EXPONENT
    products = Frame(
        "products",
        {
            "product_id": product_id,
            "category_id": np.asarray(leaf_ids)[leaf],
            "sku": sku,
            "name": names,
            "price_cents": price,
            "created_at": created.astype(np.int64),
            "brand": brand,
        },
    )
    return Catalog(categories, products, price, popularity / popularity.sum(), created)


def top_codes() -> list[str]:
    """The SKU prefix of each top-level category, in tree order."""
    return [t.code for t in TREE]


def _categories() -> tuple[Frame, list[int], AnyArray]:
    ids: list[int] = []
    names: list[str] = []
    parents: list[int] = []
    for index, top in enumerate(TREE):
        ids.append(index + 1)
        names.append(top.name)
        parents.append(NULL)
    leaf_ids: list[int] = []
    leaf_top: list[int] = []
    for index, top in enumerate(TREE):
        for leaf in top.leaves:
            leaf_ids.append(len(ids) + 1)
            leaf_top.append(index)
            ids.append(len(ids) + 1)
            names.append(leaf.name)
            parents.append(index + 1)
    frame = Frame(
        "categories",
        {
            "category_id": np.array(ids, dtype=np.int64),
            "name": _object(names),
            "parent_id": np.array(parents, dtype=np.int64),
        },
    )
    return frame, leaf_ids, np.array(leaf_top)


def _leaves() -> list[tuple[int, int]]:
    return [(t, i) for t, top in enumerate(TREE) for i in range(len(top.leaves))]


def _brands(gen: np.random.Generator, top: AnyArray) -> tuple[AnyArray, AnyArray]:
    counts = np.array([len(t.brands) for t in TREE])
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    flat = [b for t in TREE for b in t.brands]
    # a few brands dominate each category, as in real shops
    u = gen.random(len(top)) ** 1.6
    index = offsets[top] + (u * counts[top]).astype(np.int64)
    codes = [b.replace(" ", "").replace("&", "")[:4].upper() for b in flat]
    return _object(flat)[index], _object(codes)[index]


def _names(gen: np.random.Generator, leaf: AnyArray, brand: AnyArray) -> AnyArray:
    leaves = [leaf for top in TREE for leaf in top.leaves]
    counts = np.array([len(x.nouns) for x in leaves])
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    nouns = _object([noun for x in leaves for noun in x.nouns])
    noun = nouns[offsets[leaf] + (gen.random(len(leaf)) * counts[leaf]).astype(np.int64)]
    series = _object(SERIES)[gen.integers(0, len(SERIES), len(leaf))]
    models = _object([f"{letter}{n}" for letter in "ASXMV" for n in range(1, 100)])
    model = models[gen.integers(0, len(models), len(leaf))]
    return np.asarray(brand + " " + series + " " + noun + " " + model)


def _prices(gen: np.random.Generator, leaf: AnyArray) -> Array:
    medians = np.array([x.median_dollars for top in TREE for x in top.leaves])
    dollars = np.exp(np.log(medians[leaf]) + gen.normal(0.0, PRICE_SIGMA, len(leaf)))
    return shop_price(gen, dollars)


def shop_price(gen: np.random.Generator, dollars: AnyArray) -> Array:
    """Round prices in dollars to shop-like cents: 4.99, 19.95, 249.00, 1,299.99."""
    whole = np.maximum(np.floor(dollars), 1).astype(np.int64)
    # above 100 dollars, whole numbers end in 9: 249, 1299
    big = whole >= 100
    whole[big] = (whole[big] // 10) * 10 + 9
    ending = ENDINGS[gen.choice(len(ENDINGS), len(whole), p=ENDING_WEIGHTS)]
    return np.asarray(whole * 100 + ending, dtype=np.int64)


def _object(values: list[str] | tuple[str, ...]) -> AnyArray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _zero_padded(values: Array, width: int) -> AnyArray:
    return np.char.zfill(values.astype(str), width).astype(object)
