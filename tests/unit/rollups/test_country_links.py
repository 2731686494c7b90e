"""The per-country rollups' pure parts: a customer-country's links, and which of the two
equal reads of the customers a range takes."""

from __future__ import annotations

import random

from shopdb.db.rollup_schema import NO_EARLIER_DAY, NO_LATER_DAY
from shopdb.rollups import countries


def test_links_chain_the_days_and_end_in_a_terminal_row() -> None:
    assert countries.links([]) == []
    assert countries.links([5, 3, 5]) == [
        (3, NO_EARLIER_DAY, ""),
        (5, 3, ""),
        (NO_LATER_DAY, 5, ""),
    ]


def _customers(rows: list[tuple[int, int, str]], since: int, until: int, binds: dict) -> int:
    """What the rollup form sums for one country, given its rows and the binds."""
    first = sum(
        1 for d, p, _ in rows if binds["cc_f1_since"] <= d < binds["cc_f1_until"] and p < since
    )
    ends = sum(1 for d, p, _ in rows if d == binds["cc_terminal"] and p >= since)
    later = sum(
        1 for d, p, _ in rows if binds["cc_f2_from"] <= d < binds["cc_f2_until"] and p < since
    )
    return first + ends - later


def test_both_reads_count_the_customers_of_any_range() -> None:
    rng = random.Random(3)
    today = 60
    people = [sorted(rng.sample(range(today + 1), rng.randrange(1, 6))) for _ in range(200)]
    rows = [row for days in people for row in countries.links(days)]
    for _ in range(300):
        since = rng.randrange(0, today + 5)
        until = rng.randrange(since + 1, today + 10)
        expected = sum(1 for days in people if any(since <= d < until for d in days))
        chosen = countries.range_binds(since, until, today)
        assert _customers(rows, since, until, chosen) == expected, (since, until)
        # the other read gives the same count
        other = countries.range_binds(since, until, 10**6 if chosen["cc_terminal"] > 0 else 0)
        assert _customers(rows, since, until, other) == expected, (since, until)


def test_a_year_ending_today_reads_the_terminal_rows_and_a_past_month_its_days() -> None:
    today = 20_423
    late = countries.range_binds(today - 365, today + 1, today)
    assert late["cc_terminal"] == NO_LATER_DAY and late["cc_f1_until"] == 0
    assert (late["cc_f2_from"], late["cc_f2_until"]) == (today + 1, NO_LATER_DAY)
    past = countries.range_binds(today - 400, today - 370, today)
    assert (past["cc_f1_since"], past["cc_f1_until"]) == (today - 400, today - 370)
    assert past["cc_terminal"] < 0 and past["cc_f2_until"] == 0
