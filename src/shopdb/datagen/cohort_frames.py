"""``customer_cohorts``' rows from the generator's recognized orders, for the bulk path
(``rollup_frames.RollupCollector``): the rows ``rollups.build.rebuild`` computes from
the base tables, counted in NumPy."""

from __future__ import annotations

import numpy as np

from shopdb.datagen.frames import Array, Frame

_BITS = 32  # day and month indexes fit in 32 bits until year 11 million


def cohorts_frame(user: Array, day: Array, month: Array) -> Frame:
    """Per first day and month: the customers with a recognized order that month whose
    first recognized order was placed that day. One entry per recognized order: its
    customer, its ``day_index`` and its ``month_index``."""
    user, day, month = (np.asarray(a, dtype=np.int64) for a in (user, day, month))
    n = int(user.max()) + 1 if len(user) else 1
    first_day = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_day, user, day)
    # the first day's month is the customer's earliest month
    first_month = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_month, user, month)
    customer_months = np.unique((user << _BITS) | month)
    customer = customer_months >> _BITS
    active = customer_months & ((1 << _BITS) - 1)
    keys, where, counts = np.unique(
        (first_day[customer] << _BITS) | active, return_index=True, return_counts=True
    )
    return Frame(
        "customer_cohorts",
        {
            "first_day_index": keys >> _BITS,
            "month_index": keys & ((1 << _BITS) - 1),
            "cohort_index": first_month[customer][where],
            "customer_count": counts.astype(np.int64),
        },
    )
