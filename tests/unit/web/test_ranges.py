"""Date ranges from the URL, changes in basis points, amounts typed in forms, the throttle."""

from __future__ import annotations

from datetime import date

import pytest

from shopdb.errors import InvalidInput
from shopdb.web.actions import parse_amount
from shopdb.web.ranges import DayRange, change_bp, read_view
from shopdb.web.security import LoginThrottle, TooManyAttempts

TODAY = date(2025, 3, 15)


@pytest.mark.parametrize(
    ("preset", "first", "last"),
    [
        ("7d", date(2025, 3, 9), TODAY),
        ("30d", date(2025, 2, 14), TODAY),
        ("90d", date(2024, 12, 16), TODAY),
        ("mtd", date(2025, 3, 1), TODAY),
        ("last_month", date(2025, 2, 1), date(2025, 2, 28)),
        ("ytd", date(2025, 1, 1), TODAY),
    ],
)
def test_presets_end_today(preset: str, first: date, last: date) -> None:
    view = read_view({"range": preset}, TODAY)
    assert (view.current.first, view.current.last) == (first, last)


def test_the_previous_period_has_the_same_length_just_before() -> None:
    view = read_view({"range": "last_month", "compare": "previous"}, TODAY)
    assert view.previous == DayRange(date(2025, 1, 4), date(2025, 1, 31))


def test_previous_year_keeps_the_days_and_29_february_becomes_28() -> None:
    view = read_view(
        {"range": "custom", "from": "2024-02-01", "to": "2024-02-29", "compare": "year"}, TODAY
    )
    assert view.previous == DayRange(date(2023, 2, 1), date(2023, 2, 28))
    assert read_view({"compare": "none"}, TODAY).previous is None


def test_granularity_follows_the_range() -> None:
    assert read_view({"range": "30d"}, TODAY).bucket_days == 1
    assert read_view({"range": "90d"}, TODAY).bucket_days == 7
    assert (
        read_view({"range": "custom", "from": "2020-01-01", "to": "2024-12-31"}, TODAY).bucket_days
        == 30
    )


def test_the_url_reproduces_the_view() -> None:
    view = read_view(
        {"range": "custom", "from": "2025-01-05", "to": "2025-01-09", "compare": "year"}, TODAY
    )
    again = read_view(dict(p.split("=") for p in view.query_string().split("&")), TODAY)
    assert again == view


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"range": "decade"}, "unknown range"),
        ({"compare": "tomorrow"}, "unknown comparison"),
        ({"range": "custom", "from": "2025-13-01"}, "bad date for from"),
        ({"range": "custom", "from": "2025-02-02", "to": "2025-02-01"}, "after its last day"),
        ({"range": "custom", "from": "1900-01-01", "to": "2025-02-01"}, "at most"),
    ],
)
def test_bad_views_are_refused(params: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        read_view(params, TODAY)


def test_change_in_basis_points_rounds_half_away_from_zero() -> None:
    assert change_bp(150, 100) == 5000
    assert change_bp(50, 100) == -5000
    assert change_bp(1, 3) == -6667
    assert change_bp(2, 3) == -3333
    assert change_bp(100, 0) is None
    assert change_bp(None, 5) is None


@pytest.mark.parametrize(
    ("raw", "cents"), [("12.50", 1250), ("3", 300), (" 1,000.05 ", 100005), ("", None)]
)
def test_amounts_in_forms(raw: str, cents: int | None) -> None:
    assert parse_amount(raw, "total") == cents


@pytest.mark.parametrize("raw", ["abc", "-1", "1.234", "nan", "inf"])
def test_bad_amounts(raw: str) -> None:
    with pytest.raises(InvalidInput, match="bad amount"):
        parse_amount(raw, "total")


def test_the_throttle_waits_longer_after_each_failure_and_forgets_on_success() -> None:
    throttle = LoginThrottle(free=2, base_delay=30)
    throttle.check("a")
    throttle.failed("a")
    throttle.failed("a")
    with pytest.raises(TooManyAttempts) as raised:
        throttle.check("a")
    assert 25 <= raised.value.retry_after <= 31
    throttle.check("b")  # another address is not held up
    throttle.succeeded("a")
    throttle.check("a")
