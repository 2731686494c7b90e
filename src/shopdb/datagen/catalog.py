"""The product catalogue: the category tree, products with brands, SKUs and prices.

Every product gets an inventory row and an opening stock receipt (``stock.py``). Product
ids are 1..n; prices are log-normal around each leaf's median with shop-like endings
(.99, .95, .49, .00). Popularity is a long tail with a bounded head (``popularity.py``);
some products are listed during the period, and each drifts up or down over the years.
Complements (``complements.py``) link products bought together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopdb.datagen.catalog_data import BOOK_TITLE_NOUNS, PRICE_SIGMA, TREE
from shopdb.datagen.complements import Links, build_links
from shopdb.datagen.frames import NULL, AnyArray, Array, Frame
from shopdb.datagen.params import CATALOG, DAY, GenParams, rng
from shopdb.datagen.popularity import Popularity, draw_popularity

ENDINGS = np.array([99, 95, 49, 0])
ENDING_WEIGHTS = np.array([0.55, 0.15, 0.12, 0.18])
CATALOGUE_AGE_DAYS = (30, 720)
"""Products listed before the period were listed between these many days before it."""
LAUNCHED_SHARE = 0.35
"""Share of products listed during the period (new products appear over the years)."""
LAUNCH_MARGIN_DAYS = 120
"""No product is listed in the period's last days, so each has time to sell."""


@dataclass
class Catalog:
    """The catalogue as frames plus the per-product arrays orders and stock need."""

    categories: Frame
    products: Frame
    price_cents: Array
    popularity: Popularity
    created_at: Array
    links: Links

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
    noun = _nouns(gen, leaf)
    names = _names(gen, top, leaf, noun, brand)
    sku = _object(top_codes())[top] + "-" + brand_code + "-" + _zero_padded(product_id, 6)
    price = _prices(gen, leaf)
    created = _listed_at(gen, params, n)
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
    popularity = draw_popularity(gen, params, created)
    links = build_links(gen, noun, brand)
    return Catalog(categories, products, price, popularity, created, links)


def _listed_at(gen: np.random.Generator, params: GenParams, n: int) -> Array:
    """When each product was listed: most before the period, the rest during it."""
    before = params.start_s - gen.integers(
        CATALOGUE_AGE_DAYS[0] * DAY, CATALOGUE_AGE_DAYS[1] * DAY, n
    )
    last = max(params.end_s - LAUNCH_MARGIN_DAYS * DAY, params.start_s + DAY)
    during = gen.integers(params.start_s, last, n)
    launched = gen.random(n) < LAUNCHED_SHARE
    return np.asarray(np.where(launched, during, before), dtype=np.int64)


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


def _nouns(gen: np.random.Generator, leaf: AnyArray) -> Array:
    """Each product's noun, as an index into the tree's flattened noun list."""
    leaves = [leaf for top in TREE for leaf in top.leaves]
    counts = np.array([len(x.nouns) for x in leaves])
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    return np.asarray(offsets[leaf] + (gen.random(len(leaf)) * counts[leaf]).astype(np.int64))


def _names(
    gen: np.random.Generator, top: AnyArray, leaf: AnyArray, noun: Array, brand: AnyArray
) -> AnyArray:
    """'Kyro Pro Smartphone S42', 'Marlow Heritage Jacket', 'The Silent Harbour (Novel)'."""
    leaves = [leaf for top in TREE for leaf in top.leaves]
    nouns = _object([noun for x in leaves for noun in x.nouns])[noun]
    counts = np.array([len(t.series) for t in TREE])
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    flat = _object([word for t in TREE for word in t.series])
    series = flat[offsets[top] + (gen.random(len(top)) * counts[top]).astype(np.int64)]
    models = _object([f" {letter}{n}" for letter in "ASXMV" for n in range(1, 100)])
    model = models[gen.integers(0, len(models), len(leaf))]
    has_model = np.array([x.models for x in leaves])[leaf]
    name = brand + " " + series + " " + nouns + np.where(has_model, model, "")
    title = _object(BOOK_TITLE_NOUNS)[gen.integers(0, len(BOOK_TITLE_NOUNS), len(leaf))]
    book = top == [t.name for t in TREE].index("Books")
    return np.asarray(np.where(book, "The " + series + " " + title + " (" + nouns + ")", name))


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
