"""The stock ledger: opening receipts, restocks sized from known demand, inventory rows.

Demand is generated before the stock that serves it: on the first of each month a
product is restocked (one ``receipt`` at midnight, before any of the month's sales) when
its stock would otherwise fall below its reorder level, up to a target level. Sizing
ignores returns, which only ever add stock, so stock is never negative at any moment and
``quantity_on_hand`` is exactly the sum of the product's movements. In the last month a
few products are restocked only partly, so the shop ends with some low and some out of
stock.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopdb.datagen.catalog import Catalog
from shopdb.datagen.frames import NULL, AnyArray, Array, Frame, concat, constant
from shopdb.datagen.params import DAY, STOCK, GenParams, rng
from shopdb.datagen.timeline import Chunk, month_starts

OUT_OF_STOCK_SHARE = 0.03
LOW_STOCK_SHARE = 0.07
"""Shares of products left out of stock and below their reorder level at the end."""
COVER_DAYS = 10
"""The reorder level covers this many days of a product's average demand."""
UNITS_PER_ORDER = 3.2


@dataclass
class Ledger:
    """Per product: reorder and target levels, stock so far, last movement time."""

    reorder: Array
    target: Array
    case: Array
    floor: Array
    """Receipts minus sales so far (returns left out): what restocks are sized from."""
    returns: Array
    last_at: Array
    ending: AnyArray
    """0: restocked normally to the end, 1: left to run out, 2: left low."""


def open_ledger(params: GenParams, catalog: Catalog) -> tuple[Ledger, Frame]:
    """Reorder levels and opening receipts for every product."""
    gen = rng(params, STOCK)
    n = catalog.size
    daily = catalog.popularity.base * params.scale.orders * UNITS_PER_ORDER / params.days
    reorder = np.maximum(2, np.ceil(daily * COVER_DAYS)).astype(np.int64)
    target = 3 * reorder
    price = catalog.price_cents
    case = np.where(price < 2_000, 12, np.where(price < 10_000, 4, 1)).astype(np.int64)
    opening = _round_up(target + gen.integers(0, reorder + 1), case)
    ending = gen.choice(
        3, n, p=[1 - OUT_OF_STOCK_SHARE - LOW_STOCK_SHARE, OUT_OF_STOCK_SHARE, LOW_STOCK_SHARE]
    )
    ledger = Ledger(
        reorder,
        target,
        case,
        opening.copy(),
        np.zeros(n, np.int64),
        catalog.created_at.copy(),
        ending,
    )
    product = np.arange(1, n + 1, dtype=np.int64)
    return ledger, _receipts(product, opening, catalog.created_at)


@dataclass
class Demand:
    """What one chunk's movements ask of the ledger, reduced per product.

    Computed from the chunk's rows alone (in whichever process generated them), so only
    these small arrays, not the movements, need to reach the process keeping the ledger.
    """

    bounds: Array
    """The times of the chunk's restocks: its start, then each first of a month inside it."""
    sold: list[Array]
    """Units sold per product between each bound and the next."""
    returned: Array
    """Units returned per product."""
    last_at: Array
    """Each product's latest movement in the chunk (the int64 minimum if none)."""


def chunk_demand(params: GenParams, chunk: Chunk, movements: Frame, products: int) -> Demand:
    """The demand of a chunk's sale and return ``movements`` on ``products`` products."""
    cols = movements.columns
    product = np.asarray(cols["product_id"]) - 1
    delta = np.asarray(cols["quantity_delta"])
    at = np.asarray(cols["created_at"])
    sale = delta < 0
    starts = month_starts(params)
    inside = starts[(starts > chunk.day_lo) & (starts < chunk.day_hi)]
    bounds = params.start_s + np.concatenate([[chunk.day_lo], inside]) * DAY
    segment = np.searchsorted(bounds, at[sale], side="right") - 1
    sold = []
    # one step per month of the chunk (at most three), each vectorised over products
    for index in range(len(bounds)):
        mine = segment == index
        units = np.bincount(product[sale][mine], weights=-delta[sale][mine], minlength=products)
        sold.append(units.astype(np.int64))
    back = ~sale
    returned = np.bincount(product[back], weights=delta[back], minlength=products)
    last_at = np.full(products, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last_at, product, at)
    return Demand(np.asarray(bounds, dtype=np.int64), sold, returned.astype(np.int64), last_at)


def restock(ledger: Ledger, demand: Demand, last: bool) -> Frame:
    """Receipts for a chunk of ``demand``: at each bound, enough for the sales until the next.

    Applies the chunk's sales, returns and receipts to the ledger; ``last`` for the
    period's last chunk (its last month leaves some products low or out of stock).
    """
    receipts = []
    for index, bound in enumerate(demand.bounds):
        final = last and index == len(demand.bounds) - 1
        receipts.append(_restock(ledger, int(bound), demand.sold[index], final))
        ledger.floor -= demand.sold[index]
    ledger.returns += demand.returned
    out = concat(receipts)
    np.maximum(ledger.last_at, demand.last_at, out=ledger.last_at)
    moved = np.asarray(out.columns["product_id"]) - 1
    np.maximum.at(ledger.last_at, moved, np.asarray(out.columns["created_at"]))
    return out


def restock_chunk(
    ledger: Ledger, params: GenParams, chunk: Chunk, movements: Frame, last: bool
) -> Frame:
    """Receipts for a chunk: at each month's first midnight, enough for that month's sales.

    Applies the chunk's sales, returns and receipts to the ledger.
    """
    return restock(ledger, chunk_demand(params, chunk, movements, len(ledger.floor)), last)


def _restock(ledger: Ledger, at: int, sold: Array, last: bool) -> Frame:
    """Receipts at ``at`` so the coming ``sold`` units per product never overdraw stock."""
    short = ledger.floor - sold < ledger.reorder
    amount = _round_up(np.maximum(ledger.target + sold - ledger.floor, 0), ledger.case)
    if last:
        run_out = np.maximum(sold - ledger.floor, 0)
        run_low = np.maximum(sold + ledger.reorder // 2 - ledger.floor, 0)
        amount = np.where(ledger.ending == 1, run_out, amount)
        amount = np.where(ledger.ending == 2, run_low, amount)
    amount = np.where(short, amount, 0)
    product = np.flatnonzero(amount > 0)
    ledger.floor[product] += amount[product]
    return _receipts(product + 1, amount[product], np.full(len(product), at, dtype=np.int64))


def inventory_frame(ledger: Ledger) -> Frame:
    """``inventory`` rows: stock on hand is the ledger's sum for each product."""
    n = len(ledger.floor)
    return Frame(
        "inventory",
        {
            "product_id": np.arange(1, n + 1, dtype=np.int64),
            "quantity_on_hand": ledger.floor + ledger.returns,
            "reorder_level": ledger.reorder,
            "updated_at": ledger.last_at,
        },
    )


def _receipts(product: Array, amount: Array, at: Array) -> Frame:
    return Frame(
        "inventory_movements",
        {
            "product_id": product,
            "quantity_delta": amount.astype(np.int64),
            "reason": constant("receipt", len(product)),
            "order_id": np.full(len(product), NULL, dtype=np.int64),
            "created_at": at.astype(np.int64),
        },
    )


def _round_up(amount: Array, case: Array) -> Array:
    return ((amount + case - 1) // case * case).astype(np.int64)
