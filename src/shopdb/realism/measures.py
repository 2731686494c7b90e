"""The realism measures: each computed from a few rows of the aggregate queries.

Each function takes the query rows it needs and returns ``{measure name: value}``;
``None`` stands for a value the data cannot give (a shop with no orders).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np

Rows = Sequence[tuple[Any, ...]]
Values = dict[str, float | None]
EPOCH = date(1970, 1, 1)


def _day(number: int) -> date:
    return EPOCH + timedelta(days=number)


def calendar_measures(daily: Rows, hourly: Rows) -> Values:
    """Holiday peak, December lift, weekday spread, yearly growth, evening and night shares."""
    if not daily:
        return dict.fromkeys(
            (
                "holiday_peak",
                "december_lift",
                "weekday_spread",
                "evening_share",
                "night_share",
                "yearly_growth",
            )
        )
    first, last = int(daily[0][0]), int(daily[-1][0])
    counts = np.zeros(last - first + 1)
    for day, n in daily:
        counts[int(day) - first] = n
    days = np.arange(first, last + 1)
    weekday = np.bincount((days + 3) % 7, weights=counts, minlength=7)
    hours = np.zeros(24)
    for hour, n in hourly:
        hours[int(hour)] = n
    out: Values = {
        "holiday_peak": _holiday_peak(counts, first),
        "december_lift": _december_lift(counts, first),
        "weekday_spread": float(weekday.max() / weekday.min()) if weekday.min() else None,
        "evening_share": float(hours[18:].sum() / hours.sum()),
        "night_share": float(hours[2:6].sum() / hours.sum()),
        "yearly_growth": None,
    }
    if len(counts) >= 730:
        out["yearly_growth"] = float(counts[-365:].sum() / max(counts[-730:-365].sum(), 1))
    return out


def _holiday_peak(counts: np.ndarray[Any, Any], first: int) -> float | None:
    """The busiest day from 20 November to 3 December over the median of the 4 weeks before."""
    best = None
    for offset in range(len(counts)):
        day = _day(first + offset)
        if (day.month, day.day) != (11, 20) or offset < 28 or offset + 14 > len(counts):
            continue
        before = float(np.median(counts[offset - 28 : offset]))
        if before > 0:
            best = float(counts[offset : offset + 14].max() / before)
    return best


def _december_lift(counts: np.ndarray[Any, Any], first: int) -> float | None:
    """The last full December's orders per day over September's and October's."""
    year = _day(first + len(counts)).year - 1
    if _day(first + len(counts) - 1) < date(year, 12, 31):
        year -= 1

    def per_day(lo: date, hi: date) -> float:
        a, b = (lo - EPOCH).days - first, (hi - EPOCH).days - first
        return float(counts[max(a, 0) : b].sum() / (b - a)) if a >= 0 else 0.0

    autumn = per_day(date(year, 9, 1), date(year, 11, 1))
    return per_day(date(year, 12, 1), date(year + 1, 1, 1)) / autumn if autumn else None


def catalogue_measures(products: Rows, order_count: int) -> Values:
    """Best seller, head and tail of units, products sold, new products, head turnover."""
    if not products or not order_count:
        return dict.fromkeys(
            (
                "best_seller_orders",
                "top_1pct_units",
                "top_20pct_units",
                "products_sold",
                "products_listed_in_period",
                "head_turnover",
            )
        )
    table = np.array([row[1:] for row in products], dtype=np.float64)
    listed, orders, units, first_year, last_year = table.T
    ranked = np.sort(units)[::-1]
    n = len(units)
    total = max(units.sum(), 1)
    return {
        "best_seller_orders": float(orders.max() / order_count),
        "top_1pct_units": float(ranked[: max(1, n // 100)].sum() / total),
        "top_20pct_units": float(ranked[: max(1, n // 5)].sum() / total),
        "products_sold": float((units > 0).mean()),
        "products_listed_in_period": float(listed.mean()),
        "head_turnover": _head_overlap(first_year, last_year),
    }


def _head_overlap(first: np.ndarray[Any, Any], last: np.ndarray[Any, Any]) -> float | None:
    k = max(1, len(first) // 10)
    if first.sum() == 0 or last.sum() == 0:
        return None
    top_first = set(np.argsort(-first, kind="stable")[:k].tolist())
    top_last = set(np.argsort(-last, kind="stable")[:k].tolist())
    return len(top_first & top_last) / k


def customer_measures(histogram: Rows, seconds: Rows) -> Values:
    """Most orders by one customer, top-decile share, one-time buyers, repeat rate."""
    counts = np.array([row[0] for row in histogram], dtype=np.int64)
    people = np.array([row[1] for row in histogram], dtype=np.int64)
    buying = counts > 0
    buyers = int(people[buying].sum())
    out: Values = dict.fromkeys(
        (
            "max_orders_per_customer",
            "top_10pct_buyers_orders",
            "one_time_buyers",
            "repeat_within_year",
            "buyers_of_users",
        )
    )
    if buyers == 0:
        return out
    per_buyer = np.repeat(counts[buying], people[buying])[::-1]  # most orders first
    out["max_orders_per_customer"] = float(per_buyer[0])
    out["top_10pct_buyers_orders"] = float(
        per_buyer[: max(1, buyers // 10)].sum() / per_buyer.sum()
    )
    out["one_time_buyers"] = float(people[counts == 1].sum() / buyers)
    out["buyers_of_users"] = float(buyers / people.sum())
    cohort = sum(int(n) for _, n in seconds)
    again = sum(int(n) for days, n in seconds if days is not None and int(days) < 365)
    out["repeat_within_year"] = again / cohort if cohort else None
    return out


def basket_measures(histogram: Rows) -> Values:
    """Mean distinct products per order, and the share of single-product orders."""
    sizes = np.array([row[0] for row in histogram], dtype=np.float64)
    orders = np.array([row[1] for row in histogram], dtype=np.float64)
    if orders.sum() == 0:
        return {"basket_mean": None, "single_item_orders": None}
    return {
        "basket_mean": float((sizes * orders).sum() / orders.sum()),
        "single_item_orders": float(orders[sizes == 1].sum() / orders.sum()),
    }


def price_measures(prices: Rows) -> Values:
    """The median over top-level categories of p90 / p10 product prices."""
    by_category: dict[str, list[int]] = {}
    for category, cents in prices:
        by_category.setdefault(str(category), []).append(int(cents))
    spreads = [
        float(np.percentile(v, 90) / max(np.percentile(v, 10), 1))
        for v in by_category.values()
        if len(v) >= 10
    ]
    return {"price_spread": float(np.median(spreads)) if spreads else None}


def category_prices(prices: Rows) -> dict[str, tuple[int, int, int]]:
    """Per top-level category: p10, median and p90 product price in cents."""
    by_category: dict[str, list[int]] = {}
    for category, cents in prices:
        by_category.setdefault(str(category), []).append(int(cents))
    return {
        name: tuple(int(np.percentile(v, q)) for q in (10, 50, 90))  # type: ignore[misc]
        for name, v in sorted(by_category.items())
    }


def service_measures(delivery: Rows, payments: Rows) -> Values:
    """Median days from order to delivery, and the failed share of payment attempts."""
    out: Values = {"delivery_days": None, "payment_failure_rate": None}
    if delivery:
        days = np.repeat([int(d) for d, _ in delivery], [int(n) for _, n in delivery])
        out["delivery_days"] = float(np.median(days))
    attempts = sum(int(row[1]) for row in payments)
    failed = sum(int(row[1]) for row in payments if row[0] == "failed")
    if attempts:
        out["payment_failure_rate"] = failed / attempts
    return out
