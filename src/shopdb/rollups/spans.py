"""A range of days as signed spans of years, months and days: the fewest rollup rows.

The product questions sum ``product_sales_yearly``, ``_monthly`` and ``_daily`` rows
over a range, the category questions the same grains of ``category_sales_*``. Reading
whole years and months where they fit and days at the edges already keeps the rows read
proportional to products, but a range that ends a day
before a month's end (the dashboard's "last 30 days" and "last year" end yesterday)
would still read up to 30 days of daily rows at each edge. A span may therefore also
be *subtracted*: the last 365 days ending 2026-11-29 are the year 2026 plus December
2025, minus December 2026 and the day 2026-11-30. Every choice is exact (the signed
day sets add up to exactly the range, a unit test checks it against brute force);
``cover`` picks the cheapest by the rows each grain holds per bucket.

All of history (the queries' default bounds, ``ALL_TIME``) is one row per product of
``product_sales_total`` instead (``s_all`` is 1), except for a question that groups by
calendar year (category growth), which the totals cannot answer: it reads the years.

At most one span of years, two of months and two of days: the SQL files have a slot
for each (``s_y_*``, ``s_m1_*``, ``s_m2_*``, ``s_d1_*``, ``s_d2_*``; an unused slot is
the empty span ``[0, 0)``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from shopdb.db.rollup_schema import PRODUCT_MEASURES
from shopdb.rollups.buckets import EPOCH, day_index

DAY, MONTH, YEAR = "d", "m", "y"

COST = {DAY: 1, MONTH: 8, YEAR: 12}
"""Rows per bucket, relative: at SF 1 a day holds ~810 product rows, a month ~6,700 and
a year ~10,000 (nearly every product sells in a year)."""

ALL_TIME = (day_index(date(1970, 1, 1)), day_index(date(9999, 12, 31)))
"""The days ``product_sales_total`` sums: the queries' "all time", ``[EARLIEST, LATEST)``
of ``queries.params`` (a test holds them equal; the rollups do not import the queries)."""

_COARSER = {DAY: None, MONTH: DAY, YEAR: MONTH}
_MAX_YEAR = 9999


@dataclass(frozen=True)
class Span:
    """Buckets ``[start, stop)`` of one grain (days, months or years), added or subtracted."""

    grain: str
    start: int
    stop: int
    sign: int


def _bucket_of(grain: str, day: int) -> int:
    at = EPOCH + timedelta(days=day)
    return at.year if grain == YEAR else at.year * 12 + at.month - 1


@lru_cache(maxsize=4096)
def _first_day(grain: str, bucket: int) -> int | None:
    """The day a bucket starts on, or None past the calendar's last year."""
    year, month = (bucket, 1) if grain == YEAR else (bucket // 12, bucket % 12 + 1)
    if year > _MAX_YEAR:
        return None
    return day_index(date(year, month, 1))


def _rounded(grain: str, day: int) -> list[int]:
    """The buckets whose start is nearest ``day`` on either side (one if it is a start)."""
    down = _bucket_of(grain, day)
    if _first_day(grain, down) == day or _first_day(grain, down + 1) is None:
        return [down]
    return [down, down + 1]


def _cover(grain: str, start: int, stop: int, sign: int) -> tuple[int, list[Span]]:
    """The cheapest signed spans of ``grain`` or finer for days ``[start, stop)``."""
    if start == stop:
        return 0, []
    if start > stop:
        return _cover(grain, stop, start, -sign)
    finer = _COARSER[grain]
    if finer is None:
        return COST[DAY] * (stop - start), [Span(DAY, start, stop, sign)]
    best = _cover(finer, start, stop, sign)
    for low in _rounded(grain, start):
        for high in _rounded(grain, stop):
            if low >= high:
                continue
            low_day, high_day = _first_day(grain, low), _first_day(grain, high)
            assert low_day is not None and high_day is not None
            head_cost, head = _cover(finer, start, low_day, sign)
            tail_cost, tail = _cover(finer, high_day, stop, sign)
            cost = COST[grain] * (high - low) + head_cost + tail_cost
            if cost < best[0]:
                best = (cost, [Span(grain, low, high, sign), *head, *tail])
    return best


def cover(d_since: int, d_until: int) -> list[Span]:
    """Signed spans whose days add up to exactly ``[d_since, d_until)`` (all of history
    too: ``span_binds`` reads that from ``product_sales_total``)."""
    return _cover(YEAR, d_since, d_until, 1)[1]


_SLOTS = {YEAR: ("s_y",), MONTH: ("s_m1", "s_m2"), DAY: ("s_d1", "s_d2")}


def span_binds(d_since: int, d_until: int, *, total: bool = True) -> dict[str, int]:
    """The values the SQL's span slots bind for ``[d_since, d_until)``.

    ``total``: whether all of history may be read from ``product_sales_total``
    (``s_all``); without it, all of history is years, months and days like any range.

    Raises:
        ValueError: more spans of a grain than the SQL has slots (a bug in ``cover``).
    """
    whole = total and (d_since, d_until) == ALL_TIME
    binds: dict[str, int] = {"s_all": int(whole)}
    spans = [] if whole else cover(d_since, d_until)
    for grain, slots in _SLOTS.items():
        mine = [s for s in spans if s.grain == grain]
        if len(mine) > len(slots):
            raise ValueError(f"{len(mine)} spans of grain {grain!r} for {len(slots)} slots")
        for i, slot in enumerate(slots):
            span = mine[i] if i < len(mine) else Span(grain, 0, 0, 1)
            binds |= {f"{slot}_from": span.start, f"{slot}_to": span.stop}
            if grain != YEAR:
                binds[f"{slot}_sign"] = span.sign
            elif span.sign != 1:
                raise ValueError("a span of years is subtracted")
    return binds


def total_rows(product_days: Mapping[tuple[int, int], list[int]]) -> list[dict[str, int]]:
    """The daily changes ``(day, product) -> [month, *PRODUCT_MEASURES]`` on the days of
    ``ALL_TIME`` summed per product, as rows for ``product_sales_total``."""
    totals: dict[int, list[int]] = {}
    for (day, product), (_month, *measures) in product_days.items():
        if not ALL_TIME[0] <= day < ALL_TIME[1]:
            continue
        row = totals.setdefault(product, [0] * len(PRODUCT_MEASURES))
        for i, value in enumerate(measures):
            row[i] += value
    return [
        {"product_id": p, **dict(zip(PRODUCT_MEASURES, v, strict=True))}
        for p, v in sorted(totals.items())
    ]


def yearly_rows(product_months: Mapping[tuple[int, int], list[int]]) -> list[dict[str, int]]:
    """The monthly changes ``(month, product) -> PRODUCT_MEASURES`` summed per year and
    product, as rows for ``product_sales_yearly``."""
    years: dict[tuple[int, int], list[int]] = {}
    for (month, product), measures in product_months.items():
        row = years.setdefault((month // 12, product), [0] * len(PRODUCT_MEASURES))
        for i, value in enumerate(measures):
            row[i] += value
    return [
        {"year_index": y, "product_id": p, **dict(zip(PRODUCT_MEASURES, v, strict=True))}
        for (y, p), v in sorted(years.items())
    ]
