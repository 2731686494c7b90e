"""The signed spans of years, months and days add up to exactly the range asked."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from shopdb.queries import QUERIES
from shopdb.queries.params import EARLIEST, LATEST
from shopdb.queries.runner import bind_values
from shopdb.queries.sources import rollup_values
from shopdb.queries.sqlfiles import load_sql
from shopdb.rollups.buckets import EPOCH, day_index
from shopdb.rollups.build import rebuild_sql
from shopdb.rollups.spans import ALL_TIME, DAY, MONTH, YEAR, Span, cover, span_binds


def _days(span: Span) -> range:
    """The day indexes a span covers, from the calendar (not from spans' own helpers)."""
    if span.grain == DAY:
        return range(span.start, span.stop)

    def first(bucket: int) -> int:
        if span.grain == YEAR:
            return (date(bucket, 1, 1) - EPOCH).days
        return (date(bucket // 12, bucket % 12 + 1, 1) - EPOCH).days

    return range(first(span.start), first(span.stop))


def _signed_days(spans: list[Span]) -> dict[int, int]:
    """How often each day is counted (days counted zero times left out)."""
    total: Counter[int] = Counter()
    for span in spans:
        for day in _days(span):
            total[day] += span.sign
    return {day: count for day, count in total.items() if count != 0}


@pytest.mark.parametrize("seed", range(4))
def test_random_ranges_are_covered_exactly_once(seed):
    rng = random.Random(seed)
    for _ in range(150):
        start = date(2022, 1, 1) + timedelta(days=rng.randrange(1500))
        stop = start + timedelta(days=rng.randrange(1, 800))
        a, b = day_index(start), day_index(stop)

        assert _signed_days(cover(a, b)) == dict.fromkeys(range(a, b), 1), (start, stop)


def test_the_last_year_ending_yesterday_is_a_year_and_a_month_minus_a_month_and_a_day():
    spans = cover(day_index(date(2025, 12, 1)), day_index(date(2026, 11, 30)))

    assert spans == [
        Span(YEAR, 2026, 2027, 1),
        Span(MONTH, 2025 * 12 + 11, 2025 * 12 + 12, 1),
        Span(MONTH, 2026 * 12 + 11, 2026 * 12 + 12, -1),
        Span(DAY, day_index(date(2026, 11, 30)), day_index(date(2026, 12, 1)), -1),
    ]


def test_a_few_days_are_read_as_days():
    a, b = day_index(date(2024, 3, 5)), day_index(date(2024, 3, 9))

    assert cover(a, b) == [Span(DAY, a, b, 1)]


def test_a_range_from_the_first_day_is_years_then_the_last_year_s_months_and_days():
    binds = span_binds(day_index(date(1970, 1, 1)), day_index(date(9999, 12, 30)))

    assert binds["s_all"] == 0
    assert (binds["s_y_from"], binds["s_y_to"]) == (1970, 9999)
    assert (binds["s_m1_from"], binds["s_m1_to"]) == (9999 * 12, 9999 * 12 + 11)
    assert (binds["s_m2_from"], binds["s_m2_to"]) == (0, 0)
    assert binds["s_d1_to"] - binds["s_d1_from"] == 29


def test_all_time_is_the_queries_default_range_and_read_from_the_totals():
    binds = span_binds(*ALL_TIME)

    assert (day_index(EARLIEST), day_index(LATEST)) == ALL_TIME
    assert binds["s_all"] == 1
    assert all(binds[f"{slot}_to"] == 0 for slot in ("s_y", "s_m1", "s_m2", "s_d1", "s_d2"))


def test_all_time_without_the_totals_is_years_then_the_last_year_s_months_and_days():
    binds = span_binds(*ALL_TIME, total=False)

    assert binds["s_all"] == 0
    assert (binds["s_y_from"], binds["s_y_to"]) == (1970, 9999)
    assert (binds["s_m1_from"], binds["s_m1_to"]) == (9999 * 12, 9999 * 12 + 11)
    assert binds["s_d1_to"] - binds["s_d1_from"] == 30


def test_year_over_year_forms_read_both_periods_as_spans_never_as_the_totals():
    # category growth groups by year, which product_sales_total has not
    growth = rollup_values(bind_values(QUERIES["category_growth"], {}))
    best = rollup_values(bind_values(QUERIES["best_selling_products"], {}))

    assert (growth["s_all"], growth["p_s_all"], best["s_all"]) == (0, 0, 1)
    assert (growth["s_y_from"], growth["s_y_to"]) == (1970, 9999)
    # the year before ends 9998-12-31: years 1969 to 9998, less that day
    assert (growth["p_s_y_from"], growth["p_s_y_to"]) == (1969, 9999)
    assert (growth["p_s_d1_to"] - growth["p_s_d1_from"], growth["p_s_d1_sign"]) == (1, -1)


def test_the_totals_rebuild_and_check_sum_the_days_of_all_time():
    rebuild = rebuild_sql("product_sales_total", "sqlite")
    check = load_sql("shopdb.audit", "rollup_product_sales_total", "sqlite")

    assert f"day_index >= {ALL_TIME[0]}\n    and day_index < {ALL_TIME[1]}\n" in rebuild
    assert f"day_index >= {ALL_TIME[0]}\n        and day_index < {ALL_TIME[1]}\n" in check
    assert f") >= {ALL_TIME[0]}\n        and " in check
    assert f") < {ALL_TIME[1]}\n    group by" in check
