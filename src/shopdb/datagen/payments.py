"""Payments: failed attempts, captures that sum exactly to the total, and refunds.

A paid order has one completed payment of its total, or (gift card split) two that sum
to it. Payments of orders later cancelled or refunded are marked ``refunded`` with the
time of the refund; failed attempts stay ``failed``. Unpaid orders have no completed
payment, only perhaps failed attempts.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from shopdb.datagen.frames import NULL, Array, Frame, constant, labels
from shopdb.datagen.fulfilment import (
    FAILED_ATTEMPT,
    METHODS,
    NEVER,
    SPLIT_GIFT_CARD,
    Events,
)
from shopdb.datagen.orders import Basket
from shopdb.lifecycle import (
    PAYMENT_COMPLETED,
    PAYMENT_FAILED,
    PAYMENT_REFUNDED,
    PAYMENT_STATUSES,
)

GIFT_CARD = METHODS.index("gift_card")
CARD = METHODS.index("card")
COMPLETED, FAILED, REFUNDED = (
    PAYMENT_STATUSES.index(s) for s in (PAYMENT_COMPLETED, PAYMENT_FAILED, PAYMENT_REFUNDED)
)


def payment_frame(gen: np.random.Generator, end_s: int, basket: Basket, events: Events) -> Frame:
    """``payments`` rows for the chunk (ids are assigned by the caller)."""
    n = len(basket.order_id)
    total = basket.total_cents
    # one draw decides both attempts, so a second failure only follows a first
    tries = gen.random(n)
    parts = [_failed(gen, end_s, basket, events, tries < FAILED_ATTEMPT, second=False)]
    second = tries < FAILED_ATTEMPT / 4
    parts.append(_failed(gen, end_s, basket, events, second, second=True))
    paid = np.flatnonzero(events.paid < NEVER)
    returned = np.minimum(events.refunded, events.cancelled)[paid]
    split = (gen.random(len(paid)) < SPLIT_GIFT_CARD) & (events.method[paid] != GIFT_CARD)
    gift = np.maximum(1, (total[paid] * gen.uniform(0.1, 0.6, len(paid))).astype(np.int64))
    gift = np.where(split, gift, 0)
    main_method = np.where(split, CARD, events.method[paid])
    parts.append((paid, total[paid] - gift, main_method, events.paid[paid], returned, 2))
    gifted = np.flatnonzero(split)
    parts.append(
        (
            paid[gifted],
            gift[gifted],
            np.full(len(gifted), GIFT_CARD),
            events.paid[paid][gifted],
            returned[gifted],
            3,
        )
    )
    order = np.concatenate([p[0] for p in parts])
    created = np.concatenate([p[3] for p in parts])
    rank = np.concatenate([np.full(len(p[0]), p[5]) for p in parts])
    refunded_at = np.concatenate([np.asarray(p[4]) for p in parts])
    failed = np.concatenate([np.full(len(p[0]), p[5] < 2) for p in parts])
    sort = np.lexsort((rank, order, created))
    status = np.where(failed, FAILED, np.where(refunded_at < NEVER, REFUNDED, COMPLETED))
    return Frame(
        "payments",
        {
            "order_id": basket.order_id[order[sort]],
            "amount_cents": np.concatenate([p[1] for p in parts])[sort],
            "method": labels(METHODS, np.concatenate([p[2] for p in parts])[sort]),
            "status": labels(PAYMENT_STATUSES, status[sort]),
            "created_at": created[sort],
            "refunded_at": np.where(refunded_at < NEVER, refunded_at, NULL)[sort],
            "idempotency_key": constant(None, len(sort)),
        },
    )


def _failed(
    gen: np.random.Generator,
    end_s: int,
    basket: Basket,
    events: Events,
    trying: NDArray[np.bool_],
    *,
    second: bool,
) -> tuple[Array, Array, Array, Array, Array, int]:
    """Failed attempts before the capture (or before an unpaid order was cancelled)."""
    n = len(basket.order_id)
    t0 = basket.created_at
    window_end = np.minimum(np.minimum(events.paid, events.cancelled), end_s)
    share = gen.uniform(0.5, 0.95, n) if second else gen.uniform(0.0, 0.45, n)
    at = t0 + (share * (window_end - t0)).astype(np.int64)
    index = np.flatnonzero(trying & (at < window_end))
    never = np.full(len(index), NEVER)
    return (index, basket.total_cents[index], events.method[index], at[index], never, int(second))
