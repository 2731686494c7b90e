"""One chunk of orders: who buys, what, how many, and at what price.

Customers are drawn in proportion to their buying propensity among those already signed
up (so no order precedes its customer). A basket holds a few products chosen by
popularity at the chunk's start (geometric, mean about 1.8), and each of them may bring
one or two of its complements (a camera its memory card); cheap products sell in larger
quantities. The item price is the product's price at order time: lower in the past
(inflation) and discounted in sales, most of all around Black Friday.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopdb.datagen.arrays import distinct, search
from shopdb.datagen.catalog import shop_price
from shopdb.datagen.complements import Links
from shopdb.datagen.frames import AnyArray, Array, Frame, Labels, labels
from shopdb.datagen.params import DAY, ORDERS, GenParams, rng
from shopdb.datagen.people import LAPSE_DAYS
from shopdb.datagen.popularity import Popularity
from shopdb.datagen.timeline import Chunk, order_times

BASKET_P = 0.55
"""Products chosen by popularity per order are geometric: mean 1 / 0.55 = 1.8."""
MAX_CHOSEN = 6
"""At most this many chosen by popularity; with complements, at most 12 distinct."""
ATTACH = 0.3
"""Chance a chosen product with complements brings one along ..."""
ATTACH_SECOND = 0.25
"""... and, if it did, the chance it brings a second (a camera, a card and a bag)."""
INFLATION = 0.03
"""Prices rise 3% a year: an item bought two years ago cost about 6% less."""
SALE_SHARE = 0.05
HOLIDAY_SALE_SHARE = 0.35
"""Share of items sold at a discount, normally and from Black Friday week to Christmas."""


@dataclass
class Shared:
    """Arrays every chunk needs: the customers and the catalogue, and the calendar."""

    params: GenParams
    counts: Array
    user_created: Array
    loyal_cdf: AnyArray
    """Prefix sums of loyal repeat buyers' propensities, in user order."""
    lapsing_cdf: AnyArray
    """The same for lapsing buyers, each scaled by ``exp((signed up - end) / LAPSE_DAYS)``."""
    first_buyers: Array
    """Users with a first order to place, sorted by when they mean to place it."""
    first_at: Array
    """Those times, sorted."""
    user_country: Array
    user_city: Array
    countries: tuple[str, ...]
    cities: tuple[str, ...]
    price_cents: Array
    popularity: Popularity
    links: Links


@dataclass
class Basket:
    """A chunk's orders and their items, before payments and shipping."""

    order_id: Array
    created_at: Array
    user_index: Array
    total_cents: Array
    item_order: Array
    item_product: Array
    item_quantity: Array
    item_price: Array


def draw_baskets(shared: Shared, chunk: Chunk, gen: np.random.Generator) -> Basket:
    """Draw the chunk's orders, customers and items."""
    params = shared.params
    created = order_times(gen, params, chunk, shared.counts)
    n = len(created)
    user = _customers(gen, shared, created, chunk)
    at_s = params.start_s + chunk.day_lo * DAY
    item_order, product = _basket_products(gen, shared, at_s, n)
    price = _price_at(gen, params, shared.price_cents[product], created[item_order])
    # a pack of cheap things sells by the handful, a laptop alone
    rate = np.where(price < 1_000, 0.6, np.where(price < 3_000, 0.3, 0.08))
    quantity = 1 + gen.poisson(rate)
    starts = np.flatnonzero(np.concatenate([[True], item_order[1:] != item_order[:-1]]))
    total = np.add.reduceat(quantity * price, starts)
    return Basket(
        order_id=np.arange(chunk.order_lo + 1, chunk.order_hi + 1, dtype=np.int64),
        created_at=created,
        user_index=user,
        total_cents=total.astype(np.int64),
        item_order=item_order,
        item_product=product,
        item_quantity=quantity.astype(np.int64),
        item_price=price,
    )


def chunk_rng(params: GenParams, chunk: Chunk) -> np.random.Generator:
    """The chunk's own random generator (independent of how chunks are scheduled)."""
    return rng(params, ORDERS, chunk.index)


def order_frames(shared: Shared, basket: Basket, status: Labels, updated: Array) -> list[Frame]:
    """The ``orders`` and ``order_items`` rows (item ids are assigned by the caller)."""
    user = basket.user_index
    orders = Frame(
        "orders",
        {
            "order_id": basket.order_id,
            "user_id": user + 1,
            "status": status,
            "created_at": basket.created_at,
            "total_cents": basket.total_cents,
            "updated_at": updated,
            "ship_country_code": labels(shared.countries, shared.user_country[user]),
            "ship_city": labels(shared.cities, shared.user_city[user]),
        },
    )
    items = Frame(
        "order_items",
        {
            "order_id": basket.order_id[basket.item_order],
            "product_id": basket.item_product + 1,
            "quantity": basket.item_quantity,
            "unit_price_cents": basket.item_price,
        },
    )
    return [orders, items]


def _customers(gen: np.random.Generator, shared: Shared, created: Array, chunk: Chunk) -> Array:
    """The customer of each order: new buyers' first orders, then repeat buyers."""
    user = _repeat_buyers(gen, shared, created)
    # new buyers whose first order falls in this chunk take the first free order at or
    # after that time (q_i = max(p_i, q_(i-1) + 1), computed as a running maximum)
    lo_s = shared.params.start_s + chunk.day_lo * DAY
    hi_s = shared.params.start_s + chunk.day_hi * DAY
    lo, hi = np.searchsorted(shared.first_at, [lo_s, hi_s])
    wanted = np.searchsorted(created, shared.first_at[lo:hi])
    step = np.arange(len(wanted))
    slot = np.maximum.accumulate(wanted - step) + step if len(wanted) else wanted
    fits = slot < len(created)
    user[slot[fits]] = shared.first_buyers[lo:hi][fits]
    return user


def _repeat_buyers(gen: np.random.Generator, shared: Shared, created: Array) -> Array:
    """A repeat buyer per order, by propensity among the users signed up by then.

    A lapsing buyer's weight decays as ``exp(-(t - signed up) / LAPSE_DAYS)``; the factor
    ``exp(-t / LAPSE_DAYS)`` is the same for every user at time ``t``, so prefix sums
    over users still make it one binary search per order, as for loyal buyers.
    """
    signed_up = np.searchsorted(shared.user_created, created, side="right") - 1
    scale = np.exp((shared.params.end_s - created) / (LAPSE_DAYS * DAY))
    loyal = shared.loyal_cdf[signed_up]
    u = gen.random(len(created)) * (loyal + shared.lapsing_cdf[signed_up] * scale)
    pick_loyal = search(shared.loyal_cdf, u, side="right")
    pick_lapsing = search(shared.lapsing_cdf, (u - loyal) / scale, side="right")
    user = np.where(u < loyal, pick_loyal, pick_lapsing)
    return np.asarray(np.minimum(user, signed_up), dtype=np.int64)


def _basket_products(
    gen: np.random.Generator, shared: Shared, at_s: int, n: int
) -> tuple[Array, Array]:
    """The distinct products of ``n`` orders, sorted by order and product.

    Products are chosen by popularity at ``at_s``; each may bring complements listed by
    then. An order that drew a product twice keeps it once, so every order keeps one.
    """
    n_products = len(shared.price_cents)
    cdf = shared.popularity.cdf_at(at_s)
    size = np.minimum(gen.geometric(BASKET_P, n), MAX_CHOSEN)
    order = np.repeat(np.arange(n, dtype=np.int64), size)
    u = gen.random(len(order))
    chosen = np.minimum(search(cdf, u * cdf[-1], side="right"), n_products - 1)
    links = shared.links
    count = links.count(chosen)
    draws = gen.random((2, len(order)))
    bring = (draws[0] < ATTACH) & (count > 0)
    second = bring & (draws[0] < ATTACH * ATTACH_SECOND)
    parts_order, parts_product = [order], [chosen]
    for which, mask in enumerate((bring, second)):
        index = np.flatnonzero(mask)
        # the second complement is the link after the first, so the two differ
        offset = ((draws[1][index] * count[index]).astype(np.int64) + which) % count[index]
        extra = links.target[links.start[chosen[index]] + offset]
        listed = shared.popularity.listed_at[extra] < at_s
        parts_order.append(order[index][listed])
        parts_product.append(extra[listed])
    key = distinct(np.concatenate(parts_order) * n_products + np.concatenate(parts_product))
    return key // n_products, key % n_products


def _price_at(gen: np.random.Generator, params: GenParams, price: Array, at: Array) -> Array:
    years_ago = (params.end_s - at) / (365.25 * DAY)
    dollars = price / 100 * np.exp(-INFLATION * years_ago)
    day = (at // DAY).astype("datetime64[D]")
    month = day.astype("datetime64[M]")
    month_number = month.astype(np.int64) % 12
    day_of_month = (day - month).astype(np.int64)
    # from Black Friday week (from 22 November) to Christmas Eve
    holiday = ((month_number == 10) & (day_of_month >= 21)) | (
        (month_number == 11) & (day_of_month < 24)
    )
    on_sale = gen.random(len(price)) < np.where(holiday, HOLIDAY_SALE_SHARE, SALE_SHARE)
    discount = np.where(on_sale, gen.uniform(0.1, 0.35, len(price)), 0.0)
    return shop_price(gen, dollars * (1 - discount))
