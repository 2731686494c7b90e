"""Complements: which products are bought with which (accessories, consumables, activities).

A rule names anchor nouns and the nouns bought with them: a camera with a memory card, a
printer with ink, a football with shin guards, a tent with a sleeping bag. Each product
whose noun is an anchor is linked to a few specific products of the complement nouns,
preferring its own brand (the printer's own ink), so a pair recurs order after order and
``frequently_bought_together`` finds it, as it finds them in real shops' baskets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopdb.datagen.catalog_data import TREE
from shopdb.datagen.frames import AnyArray, Array


def _rule(anchors: str, complements: str = "", *, group: bool = False) -> tuple[str, ...]:
    """Anchor nouns and complement nouns; ``group``: the anchors go with each other too."""
    both = anchors.split(",") + ([c for c in complements.split(",") if c] if complements else [])
    return (anchors, ",".join(both) if group else complements)


COMPLEMENT_RULES: tuple[tuple[str, ...], ...] = (
    _rule("Laptop,2-in-1 Laptop,Ultrabook", "Charger,USB-C Cable,Backpack,Headset"),
    _rule("Smartphone,Phone", "Phone Case,Charger,Earbuds,Power Bank"),
    _rule("Camera,Action Camera,Mirrorless Camera", "Memory Card,Camera Bag,Power Bank"),
    _rule("Tablet,Slate", "Charger,USB-C Cable,Headphones"),
    _rule("Smartwatch,Fitness Tracker", "Charger,Running Shoes,Water Bottle"),
    _rule("Coffee Maker,Espresso Machine,Grinder", "Coffee Beans,Ground Coffee,Coffee Pods"),
    _rule("Teapot,Kettle", "Green Tea,Black Tea,Herbal Tea"),
    _rule("Frying Pan,Saucepan,Dutch Oven,Wok", "Olive Oil,Cookbook"),
    _rule("Blender,Air Fryer", "Cookbook,Baking Guide"),
    _rule("Duvet,Pillow,Sheet Set", group=True),
    _rule("Standing Desk,Writing Desk", "Desk Lamp,Office Chair,Ergonomic Chair,Monitor"),
    _rule("Shirt,Chinos,Jacket,Sweater", "Belt,Sneakers,Loafers"),
    _rule("Dress,Blouse,Cardigan", "Scarf,Sandals,Crossbody Bag,Tote Bag"),
    _rule("Coat,Jacket", "Beanie,Gloves,Scarf"),
    _rule("Football", "Shin Guards,Water Bottle"),
    _rule("Basketball", "Water Bottle"),
    _rule("Bike Helmet,Bike Light,Cycling Jersey", "Water Bottle", group=True),
    _rule("Tent,Sleeping Bag,Camping Stove", group=True),
    _rule("Running Shoes", "Running Vest,Water Bottle,Fitness Tracker"),
    _rule("Dumbbell Set,Kettlebell,Yoga Mat,Resistance Bands", "Water Bottle", group=True),
    _rule("Wetsuit,Paddle,Swim Goggles", group=True),
    _rule("Novel,Thriller,Short Stories", group=True),
    _rule("Picture Book,Bedtime Stories,Activity Book", "Plush Toy,Rattle", group=True),
    _rule("Graphic Novel,Comic Collection", "Action Figure", group=True),
    _rule("Moisturizer,Serum,Cleanser,Sunscreen", group=True),
    _rule("Shampoo,Conditioner", "Hair Dryer", group=True),
    _rule("Lipstick,Mascara,Foundation", group=True),
    _rule("Multivitamin,Vitamin D,Omega-3", group=True),
    _rule("Electric Toothbrush,Shaver,Beard Trimmer", "Charger"),
    _rule("Building Set,Construction Kit", group=True),
    _rule("Board Game,Card Game,Puzzle", group=True),
    _rule("Doll,Action Figure,Plush Toy", group=True),
    _rule("Scooter", "Bike Helmet"),
    _rule("Science Kit,Coding Robot", "Science Primer,Programming Guide"),
    _rule("Rattle,Activity Gym,Stacking Rings", "Picture Book", group=True),
    _rule("Cordless Drill,Jigsaw,Angle Grinder", "Drill Bit Set,Screwdriver Set"),
    _rule("Paint Roller Set,Wall Paint,Brush Set", group=True),
    _rule("Pruning Shears,Garden Hose,Planter", group=True),
    _rule("Lawn Mower,Leaf Blower,String Trimmer", "Garden Hose"),
    _rule("Garden Chair,Patio Table,Parasol", group=True),
    _rule("Coffee Beans,Ground Coffee,Coffee Pods", "Cookies,Dark Chocolate"),
    _rule("Olive Oil,Pasta,Rice", group=True),
    _rule("Granola Bars,Trail Mix,Crackers", "Sparkling Water,Juice,Kombucha"),
    _rule("Dry Dog Food,Wet Dog Food,Dog Treats", "Chew Toy,Fetch Ball", group=True),
    _rule("Dry Cat Food,Wet Cat Food,Cat Treats", "Cat Teaser", group=True),
    _rule("Fish Tank,Aquarium Filter,Aquarium Heater", group=True),
    _rule("Printer", "Ink Cartridge,Toner,Printer Paper"),
    _rule("Ink Cartridge,Toner", "Printer Paper"),
    _rule("Office Chair,Ergonomic Chair", "Standing Desk,Writing Desk"),
    _rule("Monitor,Curved Monitor", "USB-C Cable,Desk Lamp"),
    _rule("Notebook,Pen Set,Sticky Notes", group=True),
)
"""(anchor nouns, complement nouns), comma-separated; every noun is one in ``TREE``."""

LINKS_PER_RULE = 2
"""Specific complement products linked to each anchor product, per rule."""
SAME_BRAND = 0.7
"""Chance a link goes to a product of the anchor's own brand, where there is one."""


@dataclass(frozen=True)
class Links:
    """Each product's complement products, as a CSR list: ``target[start[p]:start[p+1]]``."""

    start: Array
    target: Array

    def count(self, product: Array) -> Array:
        """How many complements each of ``product`` has."""
        return np.asarray(self.start[product + 1] - self.start[product])


def noun_index() -> dict[str, int]:
    """Every noun of the tree and its position in the flattened noun list."""
    nouns = [noun for top in TREE for leaf in top.leaves for noun in leaf.nouns]
    index = {noun: i for i, noun in enumerate(nouns)}
    if len(index) != len(nouns):
        raise ValueError("catalog_data: a noun appears in two leaves")
    return index


def build_links(gen: np.random.Generator, noun: Array, brand: AnyArray) -> Links:
    """Link products to complements by ``COMPLEMENT_RULES`` (one loop step per rule)."""
    index = noun_index()
    sources: list[Array] = []
    targets: list[Array] = []
    brand_code = np.unique(brand, return_inverse=True)[1].astype(np.int64)
    for anchors, complements in COMPLEMENT_RULES:
        source = np.flatnonzero(np.isin(noun, [index[x] for x in anchors.split(",")]))
        pool = np.flatnonzero(np.isin(noun, [index[x] for x in complements.split(",")]))
        if len(source) == 0 or len(pool) == 0:
            continue
        src = np.repeat(source, LINKS_PER_RULE)
        sources.append(src)
        targets.append(_pick_targets(gen, src, pool, brand_code))
    source = np.concatenate(sources) if sources else np.zeros(0, np.int64)
    target = np.concatenate(targets) if targets else np.zeros(0, np.int64)
    keep = source != target
    pairs = np.unique(source[keep] * len(noun) + target[keep])
    source, target = pairs // len(noun), pairs % len(noun)
    start = np.searchsorted(source, np.arange(len(noun) + 1))
    return Links(start.astype(np.int64), target.astype(np.int64))


def _pick_targets(gen: np.random.Generator, src: Array, pool: Array, brand: Array) -> Array:
    """A complement from ``pool`` for each of ``src``: same brand where possible."""
    pool = pool[np.argsort(brand[pool], kind="stable")]
    lo = np.searchsorted(brand[pool], brand[src], side="left")
    hi = np.searchsorted(brand[pool], brand[src], side="right")
    own = (gen.random(len(src)) < SAME_BRAND) & (hi > lo)
    anywhere = (gen.random(len(src)) * len(pool)).astype(np.int64)
    in_brand = lo + (gen.random(len(src)) * (hi - lo)).astype(np.int64)
    return np.asarray(pool[np.where(own, in_brand, anywhere)])
