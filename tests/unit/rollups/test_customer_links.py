"""The customer-day links worked out from a customer's row equal those from every day."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from shopdb.rollups.buckets import day_index, day_start
from shopdb.rollups.customer_days import links, links_from_row

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def _times(rng: random.Random, count: int) -> list[datetime]:
    """Order times on a few days, with repeated days and some repeated instants."""
    out: list[datetime] = []
    for _ in range(count):
        if out and rng.random() < 0.15:
            out.append(rng.choice(out))  # two orders placed at the very same time
        else:
            out.append(T0 + timedelta(days=rng.randrange(6), hours=rng.randrange(24)))
    return out


def _row(times: list[datetime]) -> tuple[int, datetime | None, datetime | None]:
    return len(times), min(times, default=None), max(times, default=None)


@pytest.mark.parametrize("seed", range(400))
def test_links_from_the_row_equal_links_from_every_day(seed: int) -> None:
    rng = random.Random(seed)
    others = _times(rng, rng.randrange(5))
    placed = rng.choice(others) if others and rng.random() < 0.2 else _times(rng, 1)[0]
    day = day_index(placed)

    # a payment: the row counts the other orders only; afterwards the order counts too
    paid = links_from_row(*_row(others), placed, 1)
    expected = links([day_index(t) for t in [*others, placed]], day, 1)
    assert paid is None or sorted(paid) == sorted(expected)

    # a removal: the row counts the order too; afterwards only the others
    removed = links_from_row(*_row([*others, placed]), placed, -1)
    expected = links([day_index(t) for t in others], day, -1)
    assert removed is None or sorted(removed) == sorted(expected)


def test_the_row_answers_the_common_cases() -> None:
    noon = T0 + timedelta(hours=12)
    assert links_from_row(0, None, None, noon, 1) == [(day_index(noon), -1, 1)]
    assert links_from_row(1, T0, T0, noon, 1) == []  # the day holds an order already
    later = noon + timedelta(days=3)
    assert links_from_row(2, T0, noon, later, 1) == [(day_index(later), day_index(T0), 1)]
    between = T0 + timedelta(days=1)
    assert links_from_row(2, T0, later, between, 1) is None  # the days between are unknown
    assert links_from_row(1, noon, noon, noon, -1) == [(day_index(noon), -1, -1)]


def test_day_start_is_the_midnight_of_its_day() -> None:
    assert day_start(day_index(T0 + timedelta(hours=23))) == T0
