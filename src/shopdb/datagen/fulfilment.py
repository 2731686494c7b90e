"""What happened to each order by the period's end: payments, status, shipping, stock.

Each order gets a fate (completed, abandoned unpaid, cancelled after payment, refunded
after delivery) and event times (paid, shipped, delivered, cancelled, refunded) drawn
from realistic delays. An event happens only if its time is before the period's end,
so old orders are delivered, refunded or cancelled and recent ones pending, paid or
shipped, exactly as ``shopdb.lifecycle`` defines each status.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopdb.datagen.frames import NULL, AnyArray, Array, Frame, Labels, Text, labels
from shopdb.datagen.orders import Basket
from shopdb.datagen.params import DAY, GenParams
from shopdb.datagen.timefmt import digits
from shopdb.lifecycle import ORDER_STATUSES, PAYMENT_METHODS

NEVER = np.int64(2**62)
STATUS_VALUES: tuple[str | None, ...] = (None, *ORDER_STATUSES)
STATUS_CODE = {value: code for code, value in enumerate(STATUS_VALUES)}
ABANDON = 0.03
"""Share of orders never paid and cancelled by the shop after one to seven days."""
CANCEL_AFTER_PAY = 0.015
"""Share of orders cancelled after payment, before shipping (payment refunded)."""
REFUND = 0.04
"""Share of orders refunded 1-30 days after delivery."""
FAILED_ATTEMPT = 0.07
"""Share of orders with one or two failed payment attempts first."""
SPLIT_GIFT_CARD = 0.03
"""Share of paid orders paid partly with a gift card and the rest by card."""
METHODS = PAYMENT_METHODS
METHOD_SHARES = (0.62, 0.24, 0.09, 0.05)
"""Shares of ``METHODS``, in their order."""
CARRIERS = ("UPS", "DHL", "FedEx", "USPS", "DPD", "Royal Mail", "GLS")
CARRIER_PREFIXES = ("1Z", "JD", "FX", "94", "DP", "RM", "GL")
CARRIER_SHARES = (0.26, 0.22, 0.14, 0.14, 0.1, 0.08, 0.06)


@dataclass
class Events:
    """Per order: fate masks and event times (``NEVER`` when it does not happen)."""

    paid: Array
    shipped: Array
    delivered: Array
    cancelled: Array
    refunded: Array
    abandoned: AnyArray
    method: Array


def draw_events(gen: np.random.Generator, params: GenParams, basket: Basket) -> Events:
    """Draw each order's fate and event times; events at or after the end do not happen."""
    t0 = basket.created_at
    n = len(t0)
    fate = gen.random(n)
    abandoned = fate < ABANDON
    cancel_paid = (fate >= ABANDON) & (fate < ABANDON + CANCEL_AFTER_PAY)
    refund = fate >= 1 - REFUND
    method = gen.choice(len(METHODS), n, p=np.asarray(METHOD_SHARES))
    bank = method == METHODS.index("bank_transfer")
    pay_delay = np.where(
        bank, gen.lognormal(np.log(1.5 * DAY), 0.5, n), 10 + gen.exponential(120.0, n)
    )
    paid = t0 + pay_delay.astype(np.int64)
    ship_delay = 3600 + gen.lognormal(np.log(1.1 * DAY), 0.6, n).astype(np.int64)
    shipped = paid + ship_delay
    delivered = shipped + 6 * 3600 + gen.lognormal(np.log(3 * DAY), 0.45, n).astype(np.int64)
    refunded = delivered + gen.integers(DAY, 30 * DAY, n)
    cancelled = np.where(
        abandoned,
        t0 + gen.integers(DAY, 7 * DAY, n),
        paid + (gen.uniform(0.05, 0.9, n) * ship_delay).astype(np.int64),
    )
    paid = np.where(abandoned, NEVER, paid)
    shipped = np.where(abandoned | cancel_paid, NEVER, shipped)
    delivered = np.where(abandoned | cancel_paid, NEVER, delivered)
    refunded = np.where(refund, refunded, NEVER)
    cancelled = np.where(abandoned | cancel_paid, cancelled, NEVER)
    end = params.end_s
    return Events(
        paid=np.where(paid < end, paid, NEVER),
        shipped=np.where(shipped < end, shipped, NEVER),
        delivered=np.where(delivered < end, delivered, NEVER),
        cancelled=np.where(cancelled < end, cancelled, NEVER),
        refunded=np.where(refunded < end, refunded, NEVER),
        abandoned=abandoned,
        method=method,
    )


def statuses(events: Events, t0: Array) -> tuple[Labels, Array]:
    """Each order's status at the end, and the time of its last status change."""
    status = np.zeros(len(t0), dtype=np.uint8)
    updated = t0.copy()
    for name, times in (
        ("paid", events.paid),
        ("shipped", events.shipped),
        ("delivered", events.delivered),
        ("refunded", events.refunded),
        ("cancelled", events.cancelled),
    ):
        happened = times < NEVER
        status[happened] = ORDER_STATUSES.index(name)
        updated = np.where(happened, np.maximum(updated, times), updated)
    return labels(ORDER_STATUSES, status), updated


def history_frame(basket: Basket, events: Events) -> Frame:
    """``order_status_history`` rows: NULL -> pending at creation, then each change."""
    steps = (
        (None, "pending", basket.created_at),
        ("pending", "paid", events.paid),
        ("paid", "shipped", events.shipped),
        ("shipped", "delivered", events.delivered),
        ("delivered", "refunded", events.refunded),
        ("pending", "cancelled", np.where(events.abandoned, events.cancelled, NEVER)),
        ("paid", "cancelled", np.where(events.abandoned, NEVER, events.cancelled)),
    )
    orders, froms, tos, times, ranks = [], [], [], [], []
    for step, (before, after, at) in enumerate(steps):
        index = np.flatnonzero(at < NEVER)
        orders.append(index)
        froms.append(np.full(len(index), STATUS_CODE[before]))
        tos.append(np.full(len(index), STATUS_CODE[after]))
        times.append(at[index])
        ranks.append(np.full(len(index), step))
    order, rank = np.concatenate(orders), np.concatenate(ranks)
    sort = np.lexsort((rank, order))
    return Frame(
        "order_status_history",
        {
            "order_id": basket.order_id[order[sort]],
            "from_status": labels(STATUS_VALUES, np.concatenate(froms)[sort]),
            "to_status": labels(STATUS_VALUES, np.concatenate(tos)[sort]),
            "changed_at": np.concatenate(times)[sort],
        },
    )


def shipment_frame(gen: np.random.Generator, basket: Basket, events: Events) -> Frame:
    """``shipments`` rows for every order that left the warehouse."""
    index = np.flatnonzero(events.shipped < NEVER)
    carrier = gen.choice(len(CARRIERS), len(index), p=np.asarray(CARRIER_SHARES))
    order_id = basket.order_id[index]
    # an invertible map of the order id (the multiplier is prime to 10**11): unique numbers
    number = (order_id * 7_919_731 + 1_234_567) % 10**11
    delivered = events.delivered[index]
    return Frame(
        "shipments",
        {
            "order_id": order_id,
            "carrier": labels(CARRIERS, carrier),
            "tracking_number": number,
            "shipped_at": events.shipped[index],
            "delivered_at": np.where(delivered < NEVER, delivered, NULL),
        },
    )


def stock_frame(basket: Basket, events: Events) -> Frame:
    """Sale movements for every item, and returns for the items of cancelled orders."""
    item_at = basket.created_at[basket.item_order]
    cancelled_at = events.cancelled[basket.item_order]
    back = np.flatnonzero(cancelled_at < NEVER)
    n_sales = len(item_at)
    order_id = basket.order_id[basket.item_order]
    return Frame(
        "inventory_movements",
        {
            "product_id": np.concatenate([basket.item_product, basket.item_product[back]]) + 1,
            "quantity_delta": np.concatenate([-basket.item_quantity, basket.item_quantity[back]]),
            "reason": labels(("sale", "return"), np.repeat([0, 1], [n_sales, len(back)])),
            "order_id": np.concatenate([order_id, order_id[back]]),
            "created_at": np.concatenate([item_at, cancelled_at[back]]),
        },
    )


def tracking_numbers(carrier: Labels, number: Array) -> Text:
    """Tracking numbers as carriers print them: a carrier prefix and 11 digits."""
    prefixes = [CARRIER_PREFIXES[CARRIERS.index(str(c))].encode() for c in carrier.values]
    table = np.frombuffer(b"".join(prefixes), dtype=np.uint8).reshape(-1, 2)
    return Text(np.hstack([table[carrier.codes], digits(number, 11)]))
