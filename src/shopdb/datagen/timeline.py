"""When orders happen: daily counts with growth, weekly and yearly seasonality, holidays.

The expected orders on a day are ``growth x weekday x month x holiday x noise``; the
exact counts are one multinomial draw of all orders over the days, so the total is
exactly the scale's order count. Orders are then split into chunks of whole days
(never across a calendar month) that are generated and loaded one at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from shopdb.datagen.frames import AnyArray, Array
from shopdb.datagen.params import CALENDAR, GenParams, rng
from shopdb.datagen.scale import ORDER_CHUNK

ORDER_GROWTH = 0.45
"""Orders per day grow by e**0.45 (about 57%) a year."""
WEEKDAY = (1.04, 1.00, 0.98, 0.97, 0.95, 0.86, 1.08)
"""Monday .. Sunday: online shops are busiest on Sunday evening and Monday."""
MONTH = (0.90, 0.84, 0.94, 0.95, 0.97, 0.94, 0.93, 0.95, 0.97, 1.01, 1.17, 1.36)
"""January .. December: the run-up to Christmas is the busiest month."""
DAY_NOISE = 0.08
"""Day-to-day variation (standard deviation of a gamma multiplier with mean 1)."""
HOUR = (
    0.9,
    0.5,
    0.3,
    0.2,
    0.2,
    0.3,
    0.7,
    1.4,
    2.3,
    3.0,
    3.4,
    3.8,
    4.1,
    4.0,
    3.8,
    3.7,
    3.8,
    4.1,
    4.6,
    5.3,
    5.8,
    5.4,
    3.9,
    2.1,
)
"""Relative orders per hour of the day (UTC): a lunch bump and an evening peak."""


CHUNK_MONTHS = 3


def month_starts(params: GenParams) -> Array:
    """Day offsets (from the start) of the first day of each month after the start."""
    dates = np.datetime64(params.start.isoformat()) + np.arange(params.days)
    month = dates.astype("datetime64[M]").astype(np.int64)
    return np.flatnonzero(np.diff(month)) + 1


@dataclass(frozen=True)
class Chunk:
    """Orders ``order_lo+1 .. order_hi`` placed on days ``day_lo .. day_hi-1``."""

    index: int
    day_lo: int
    day_hi: int
    order_lo: int
    order_hi: int

    @property
    def size(self) -> int:
        """Number of orders in the chunk."""
        return self.order_hi - self.order_lo


def day_weights(params: GenParams) -> AnyArray:
    """The expected share of orders on each day of the period (before noise)."""
    days = np.arange(params.days)
    dates = np.datetime64(params.start.isoformat()) + days
    weekday = (dates.astype("datetime64[D]").view("int64") - 4) % 7  # 1970-01-05 was a Monday
    month = dates.astype("datetime64[M]").astype(np.int64) % 12
    weights = np.exp(ORDER_GROWTH * days / 365.25)
    weights *= np.asarray(WEEKDAY)[weekday] * np.asarray(MONTH)[month]
    weights *= holiday_factors(params.start, params.days)
    return np.asarray(weights / weights.sum())


def holiday_factors(start: date, n_days: int) -> AnyArray:
    """A multiplier per day: Black Friday to Cyber Monday, Christmas, New Year."""
    factors = np.ones(n_days)
    for year in range(start.year, start.year + n_days // 365 + 2):
        november_first = date(year, 11, 1)
        thanksgiving = november_first + timedelta(days=(3 - november_first.weekday()) % 7 + 21)
        peaks = {
            thanksgiving: 1.3,
            thanksgiving + timedelta(days=1): 2.8,  # Black Friday
            thanksgiving + timedelta(days=2): 1.9,
            thanksgiving + timedelta(days=3): 1.8,
            thanksgiving + timedelta(days=4): 2.4,  # Cyber Monday
            date(year, 12, 24): 0.6,
            date(year, 12, 25): 0.45,
            date(year, 12, 26): 1.3,
            date(year, 1, 1): 0.6,
        }
        for day, factor in peaks.items():
            offset = (day - start).days
            if 0 <= offset < n_days:
                factors[offset] *= factor
    return factors


def daily_counts(params: GenParams) -> Array:
    """How many orders are placed on each day of the period; sums to the order count."""
    gen = rng(params, CALENDAR)
    weights = day_weights(params)
    shape = 1.0 / DAY_NOISE**2
    weights = weights * gen.gamma(shape, 1.0 / shape, len(weights))
    return gen.multinomial(params.scale.orders, weights / weights.sum()).astype(np.int64)


def chunks(params: GenParams, counts: Array) -> list[Chunk]:
    """Split the days into chunks of at most ``CHUNK_MONTHS`` months and ``ORDER_CHUNK`` orders.

    Chunks break at the first of a month, unless one month alone holds too many orders.
    """
    month_start = np.zeros(len(counts), dtype=bool)
    month_start[month_starts(params)] = True
    out: list[Chunk] = []
    day_lo, order_lo, filled, months = 0, 0, 0, 0
    # one step per day (about a thousand), not per order
    for day in range(len(counts)):
        if day > day_lo:
            months += int(month_start[day])
            full = filled + counts[day] > ORDER_CHUNK
            if full or (month_start[day] and months >= CHUNK_MONTHS):
                out.append(Chunk(len(out), day_lo, day, order_lo, order_lo + filled))
                day_lo, order_lo, filled, months = day, order_lo + filled, 0, 0
        filled += int(counts[day])
    out.append(Chunk(len(out), day_lo, len(counts), order_lo, order_lo + filled))
    return [c for c in out if c.size > 0]


def order_times(gen: np.random.Generator, params: GenParams, chunk: Chunk, counts: Array) -> Array:
    """Sorted creation times (Unix seconds) of the chunk's orders."""
    day = np.repeat(np.arange(chunk.day_lo, chunk.day_hi), counts[chunk.day_lo : chunk.day_hi])
    hours = np.asarray(HOUR) / np.sum(HOUR)
    hour = gen.choice(24, len(day), p=hours)
    # second 0 of each day is kept for the day's stock receipts
    second = hour * 3600 + gen.integers(1, 3600, len(day))
    return np.sort(params.start_s + day * 86_400 + second).astype(np.int64)
