"""Which queries a rollup can answer, and when: the ``source`` switch of ``run_query``.

A query listed here has a second SQL file, ``sql/<name>.rollup.sql`` (or a dialect
variant ``<name>.rollup.<dialect>.sql``), that reads the rollups
(``shopdb.db.rollup_schema``) instead of orders and items and returns the same rows.
``sql/<name>.sql`` stays the base-table form. The predicate says for which bound values
the rollup form is exact: the daily rollups answer ranges whose bounds fall on UTC
midnights, the per-customer rollup (exact in every service transaction) any range
(top customers; lifetime value its first days' totals for the whole days and its
customers' orders for the cut ones; RFM reads its groups of customers at a midnight
``as_of`` and the per-customer rollup at any other, summing again only the customers
with orders after it), the basket pairs only all of history. ``ROLLUP_PAYS`` keeps
``auto`` on the base tables where a rollup form answers but reads more. A new catalogue
query gets a rollup form by adding its file and one line here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from shopdb.errors import InvalidInput
from shopdb.queries.params import EARLIEST, LATEST
from shopdb.rollups.buckets import (
    day_ceiling,
    day_index,
    day_range,
    day_start,
    is_midnight,
    month_index,
)
from shopdb.rollups.countries import range_binds
from shopdb.rollups.spans import span_binds

SOURCES = ("auto", "rollup", "base")
"""``auto``: the rollups where they can answer, else the base tables."""


def _whole_days(values: Mapping[str, Any]) -> bool:
    return is_midnight(values["since"]) and is_midnight(values["until"])


def _all_history(values: Mapping[str, Any]) -> bool:
    return bool(values["since"] == EARLIEST and values["until"] == LATEST)


def _any(_values: Mapping[str, Any]) -> bool:
    return True


def _window_at_midnight(values: Mapping[str, Any]) -> bool:
    return is_midnight(values["as_of"])


ROLLUP_ANSWERS: dict[str, Callable[[Mapping[str, Any]], bool]] = {
    "total_revenue": _whole_days,
    "average_order_value": _whole_days,
    "monthly_revenue": _whole_days,
    "yoy_growth": _whole_days,
    "best_selling_products": _whole_days,
    "revenue_by_category": _whole_days,
    "category_growth": _whole_days,
    "top_customers": _any,
    "repeat_purchase_rate": _whole_days,
    "customer_lifetime_value": _any,
    "sales_over_time": _whole_days,
    "dashboard_kpis": _whole_days,
    "rfm_segments": _any,
    "frequently_bought_together": _all_history,
    "low_inventory": _window_at_midnight,
    "cohort_retention": _whole_days,
    "order_status_funnel": _whole_days,
    "refund_and_cancellation_rates": _whole_days,
    "payment_method_mix": _whole_days,
    "revenue_by_country": _whole_days,
    "new_vs_returning_revenue": _whole_days,
}
"""Query name -> whether its rollup form answers these bound values exactly."""


SERIAL_ROLLUPS = frozenset({"best_selling_products", "revenue_by_category", "category_growth"})
"""The rollup forms PostgreSQL runs without parallel workers (``db.grouping.serial_plan``).
Best sellers sums thousands of product rows, where two workers cost more than they save.
Revenue by category and category growth read a row per category and bucket since
migration 0020, but on tables the planner has no statistics for yet (just migrated,
before autovacuum's first ANALYZE) it planned them parallel: 15 ms against 4 ms at SF 1,
while analyzed they take 5-6 ms either way (2026-12-06). The others read a few hundred
rows and are never planned parallel, so they keep their one round trip. Lifetime value
reads a row per day since migration 0018: at SF 1 over 365 days 2.3 ms as it is against
2.7 ms with the plan's SET and RESET, the two interleaved by hand (2026-12-04)."""


TOP_LEADERS = 200
"""How many of the biggest spenders of all history ``top_customers``' rollup form reads
first to set its bar (at least four times its limit; over all history, the limit: their
spend is the bar itself)."""


def _long_range(values: Mapping[str, Any]) -> bool:
    return bool(_all_history(values) or values["until"] - values["since"] >= LONG_RANGE)


LONG_RANGE = timedelta(days=60)
"""From this long a range, ``top_customers``' bar pays: over a few weeks a customer's
all-history spend passes the range's best far more often, and the range's own orders
are few enough to read them all (SF 1 SQLite: the base form is faster at 30 days, the
rollup form 12x faster at 365)."""

RECENT_END = timedelta(days=7)
"""``customer_lifetime_value``'s rollup form recounts from their orders the cohort's
customers who bought from until's day on: nobody for a range ending now, most of the
cohort for one that ended months ago (SF 1 SQLite, the past half-year: 1.3 s against
0.33 s from the base tables; 1.0 ms against 2.0 s for the last 365 days)."""


def _ends_recently(values: Mapping[str, Any]) -> bool:
    return bool(values["until"] >= datetime.now(UTC) - RECENT_END)


ROLLUP_PAYS: dict[str, Callable[[Mapping[str, Any]], bool]] = {
    "top_customers": _long_range,
    "customer_lifetime_value": _ends_recently,
}
"""Query name -> whether ``auto`` should run its rollup form for these values, where it
answers them (every other query: whenever it answers)."""


def _open_month(until: datetime) -> dict[str, Any]:
    """Until's month and its first midnight: the month a range ending at ``until`` may
    hold only in part (``cohort_retention``'s rollup form)."""
    at = until.astimezone(UTC)
    return {"c_month": month_index(at), "c_month_start": datetime(at.year, at.month, 1, tzinfo=UTC)}


def use_rollup(name: str, values: Mapping[str, Any], source: str) -> bool:
    """Whether query ``name`` runs its rollup form for ``values`` under ``source``.

    Raises:
        InvalidInput: an unknown source, or ``rollup`` asked of a query or a range the
            rollups cannot answer.
    """
    if source not in SOURCES:
        raise InvalidInput(f"unknown source {source!r}: use one of {', '.join(SOURCES)}")
    if source == "base":
        return False
    answers = ROLLUP_ANSWERS.get(name)
    able = answers is not None and answers(values)
    if source == "auto":
        return able and ROLLUP_PAYS.get(name, _any)(values)
    if not able:
        why = "reads no rollup" if answers is None else "cannot be answered by its rollup here"
        raise InvalidInput(
            f"query {name!r} {why} (ranges must be whole days, low inventory's as_of a "
            "midnight; basket pairs cover all history): use source 'base' or 'auto'"
        )
    return able


def _as_of_binds(as_of: datetime) -> dict[str, Any]:
    """As_of's day, and whether it is a midnight: only then can RFM's groups
    (``customer_recency_frequency``, keyed by whole days) give every customer's recency
    (``rfm_segments``' rollup form reads ``customer_sales`` otherwise)."""
    return {"d_as_of": day_index(as_of), "as_of_midnight": int(is_midnight(as_of))}


def _lifetime_binds(since: datetime, until: datetime) -> dict[str, Any]:
    """How ``customer_lifetime_value``'s rollup form cuts ``[since, until)`` at any
    times: the whole days inside it, the first midnight at or after since, and until's
    own midnight (the customers with orders between since and the first, or from the
    second on, are counted from their orders)."""
    d_since = day_ceiling(since)
    d_until = max(day_index(until), d_since)
    return {
        "lt_d_since": d_since,
        "lt_d_until": d_until,
        "lt_since_ceiling_at": day_start(d_since),
        "lt_until_floor_at": day_start(day_index(until)),
    }


def rollup_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The extra values a rollup form binds: the range cut into days and months, and
    into signed spans of years, months and days (``shopdb.rollups.spans``); for a
    year-over-year form, the year before too (``p_``), and all of history as years,
    never as the totals."""
    if "window_start" in values:  # a window of days before as_of (low inventory)
        days = day_range(values["window_start"], values["as_of"])
        return days.binds() | span_binds(days.d_since, days.d_until)
    if "since" not in values:
        return _as_of_binds(values["as_of"]) if "as_of" in values else {}
    days = day_range(values["since"], values["until"])
    # a year-over-year form groups by calendar year, which product_sales_total has not
    yearly = "since_year_before" in values
    binds: dict[str, Any] = days.binds() | span_binds(days.d_since, days.d_until, total=not yearly)
    binds |= _open_month(values["until"])
    # revenue_by_country's customers: the cheaper of two equal reads of its rollup
    binds |= range_binds(days.d_since, days.d_until, day_index(datetime.now(UTC)))
    # customer_lifetime_value answers any range: its whole days and its cut ones
    binds |= _lifetime_binds(values["since"], values["until"])
    if "limit" in values:  # top_customers: the all-history spenders who set its bar
        leaders = max(TOP_LEADERS, 4 * values["limit"])
        binds["leaders"] = values["limit"] if _all_history(values) else leaders
    if yearly:  # year-over-year forms read the year before too, by the same cuts
        before = day_range(values["since_year_before"], values["until_year_before"])
        cuts = before.binds() | span_binds(before.d_since, before.d_until, total=False)
        binds |= {f"p_{key}": value for key, value in cuts.items()}
    return binds
