"""The rows of the rollups folded from the orders the change log names, from the
generator's frames (``rollup_frames.RollupCollector``): ``country_sales_daily``,
``customer_country_days`` and ``customer_first_two_days``, as ``rollups.build.rebuild``
computes them from the base tables (``rollups.countries`` keeps them)."""

from __future__ import annotations

import numpy as np

from shopdb.datagen.frames import Array, Frame, group_sums, labels
from shopdb.db.rollup_schema import NO_EARLIER_DAY, NO_LATER_DAY

_COUNTRY_BITS = 16
"""A (day, country) key is ``day << 16 | country``; a customer-country ``user << 16 |
country``."""


def country_sales_frame(day: Array, country: Array, total: Array, names: tuple[str, ...]) -> Frame:
    """``country_sales_daily``' rows: recognized orders and revenue per day and country."""
    keys, (count, revenue) = group_sums((day << _COUNTRY_BITS) | country, np.ones_like(day), total)
    return Frame(
        "country_sales_daily",
        {
            "day_index": keys >> _COUNTRY_BITS,
            "country_code": labels(names, keys & ((1 << _COUNTRY_BITS) - 1)),
            "order_count": count,
            "revenue_cents": revenue,
        },
    )


def customer_country_days_frame(
    day: Array, user: Array, country: Array, names: tuple[str, ...]
) -> Frame:
    """``customer_country_days``' rows: per day, the customer-country's previous day with a
    recognized order (``NO_EARLIER_DAY`` for a first) and country, how many; and each
    customer-country's terminal row (``NO_LATER_DAY`` after its last day). Days of "all
    time" only, as the rebuild."""
    inside = (day >= 0) & (day < NO_LATER_DAY)
    # each customer-country as a dense number, then (number, day) keys sorted: by
    # customer-country, then day (22 bits hold every day up to NO_LATER_DAY)
    pairs, number = np.unique(
        (user[inside] << _COUNTRY_BITS) | country[inside], return_inverse=True
    )
    keyed = np.unique((number.astype(np.int64) << 22) | day[inside])
    pair, day = pairs[keyed >> 22], keyed & ((1 << 22) - 1)
    same = np.r_[False, pair[1:] == pair[:-1]]
    prev = np.where(same, np.r_[NO_EARLIER_DAY, day[:-1]], NO_EARLIER_DAY)
    last = np.r_[pair[1:] != pair[:-1], True] if len(pair) else np.zeros(0, dtype=bool)
    all_days = np.r_[day, np.full(int(last.sum()), NO_LATER_DAY, dtype=np.int64)]
    all_prev = np.r_[prev, day[last]]
    all_country = np.r_[pair, pair[last]] & ((1 << _COUNTRY_BITS) - 1)
    # day (22 bits up to NO_LATER_DAY), prev + 1 (22 bits) and country (16 bits) in 60
    keys, (count,) = group_sums(
        (all_days << 38) | ((all_prev + 1) << _COUNTRY_BITS) | all_country,
        np.ones_like(all_days),
    )
    return Frame(
        "customer_country_days",
        {
            "day_index": keys >> 38,
            "prev_day_index": ((keys >> _COUNTRY_BITS) & ((1 << 22) - 1)) - 1,
            "country_code": labels(names, keys & ((1 << _COUNTRY_BITS) - 1)),
            "customer_count": count,
        },
    )


def first_two_days_frame(day: Array, user: Array) -> Frame:
    """``customer_first_two_days``' rows: customers per day of their second recognized
    order (``NO_LATER_DAY`` for none) and of their first, from each recognized order's
    ``day`` and customer. Orders of one customer on one day are interchangeable here,
    so their order by time and id does not matter."""
    order = np.lexsort((day, user))
    user, day = user[order], day[order]
    starts = np.flatnonzero(np.r_[True, user[1:] != user[:-1]]) if len(user) else order
    has_second = np.r_[starts[1:], len(user)] - starts > 1
    second = np.full(len(starts), NO_LATER_DAY, dtype=np.int64)
    second[has_second] = day[starts[has_second] + 1]
    first = day[starts]
    # NO_LATER_DAY and every first day fit in 22 bits
    keys, (count,) = group_sums((second << 22) | first, np.ones_like(first))
    return Frame(
        "customer_first_two_days",
        {
            "second_day_index": keys >> 22,
            "first_day_index": keys & ((1 << 22) - 1),
            "customer_count": count,
        },
    )
