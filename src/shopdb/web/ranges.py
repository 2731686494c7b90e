"""The date range a page shows and the range it compares with, read from the URL.

Pure functions of the query string and "today", so a shared link shows the same view
and the rules are tested without a server. Ranges are whole UTC days, ``until``
inclusive in the URL and exclusive (the next midnight) once bound, as the catalogue's
``since``/``until`` parameters are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from shopdb.errors import InvalidInput

PRESETS = {
    "7d": "Last 7 days",
    "30d": "Last 30 days",
    "90d": "Last 90 days",
    "365d": "Last 365 days",
    "mtd": "This month",
    "last_month": "Last month",
    "ytd": "This year",
    "custom": "Custom",
}
COMPARISONS = {"previous": "Previous period", "year": "Previous year", "none": "No comparison"}
DEFAULT_PRESET = "30d"
MAX_DAYS = 3660


@dataclass(frozen=True)
class DayRange:
    """Whole days from ``first`` to ``last``, both included."""

    first: date
    last: date

    @property
    def days(self) -> int:
        """How many days the range holds."""
        return (self.last - self.first).days + 1

    @property
    def since(self) -> datetime:
        """The range's start as a bound value (midnight UTC of ``first``)."""
        return datetime(self.first.year, self.first.month, self.first.day, tzinfo=UTC)

    @property
    def until(self) -> datetime:
        """The range's exclusive end (midnight UTC after ``last``)."""
        return self.since + timedelta(days=self.days)

    def label(self) -> str:
        """``2024-01-01 to 2024-01-31``."""
        return f"{self.first.isoformat()} to {self.last.isoformat()}"


@dataclass(frozen=True)
class View:
    """What the URL asks for: a preset, its range, and the comparison range (or None)."""

    preset: str
    comparison: str
    current: DayRange
    previous: DayRange | None

    @property
    def bucket_days(self) -> int:
        """The chart's granularity: days up to 45 days, weeks up to a year, else 30 days."""
        if self.current.days <= 45:
            return 1
        if self.current.days <= 370:
            return 7
        return 30

    def query_string(self) -> str:
        """The URL parameters that reproduce this view."""
        text = f"range={self.preset}&compare={self.comparison}"
        if self.preset == "custom":
            text += f"&from={self.current.first.isoformat()}&to={self.current.last.isoformat()}"
        return text


def _parse_day(raw: str, name: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidInput(f"bad date for {name}: {raw!r} (use YYYY-MM-DD)") from None


def preset_range(preset: str, today: date) -> DayRange:
    """The days a preset covers, ending today (``today`` is included).

    Raises:
        InvalidInput: an unknown preset (``custom`` needs explicit days).
    """
    if preset in ("7d", "30d", "90d", "365d"):
        days = int(preset.removesuffix("d"))
        return DayRange(today - timedelta(days=days - 1), today)
    if preset == "mtd":
        return DayRange(today.replace(day=1), today)
    if preset == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return DayRange(last.replace(day=1), last)
    if preset == "ytd":
        return DayRange(today.replace(month=1, day=1), today)
    raise InvalidInput(f"unknown range {preset!r}: use one of {', '.join(PRESETS)}")


def comparison_range(current: DayRange, comparison: str) -> DayRange | None:
    """The range ``current`` is compared with: the same length just before, or a year back.

    Raises:
        InvalidInput: an unknown comparison.
    """
    if comparison == "none":
        return None
    if comparison == "previous":
        last = current.first - timedelta(days=1)
        return DayRange(last - timedelta(days=current.days - 1), last)
    if comparison == "year":
        return DayRange(_year_back(current.first), _year_back(current.last))
    raise InvalidInput(f"unknown comparison {comparison!r}: use one of {', '.join(COMPARISONS)}")


def _year_back(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def read_view(params: Mapping[str, str], today: date, default: str = DEFAULT_PRESET) -> View:
    """The view the query string asks for; defaults: last 30 days against the 30 before.

    Raises:
        InvalidInput: an unknown preset or comparison, a malformed day, ``from`` after
            ``to``, or a custom range longer than ``MAX_DAYS``.
    """
    preset = params.get("range") or default
    comparison = params.get("compare") or "previous"
    if preset == "custom" or ("from" in params and "range" not in params):
        preset = "custom"
        first = _parse_day(params.get("from") or today.isoformat(), "from")
        last = _parse_day(params.get("to") or today.isoformat(), "to")
        if first > last:
            raise InvalidInput("the range's first day (from) is after its last day (to)")
        current = DayRange(first, last)
        if current.days > MAX_DAYS:
            raise InvalidInput(f"a range holds at most {MAX_DAYS} days")
    else:
        current = preset_range(preset, today)
    return View(preset, comparison, current, comparison_range(current, comparison))


def change_bp(current: int | None, previous: int | None) -> int | None:
    """The change from ``previous`` to ``current`` in basis points; None when undefined.

    Rounded half away from zero, like the catalogue's ratios.
    """
    if current is None or previous is None or previous == 0:
        return None
    delta = 10000 * (current - previous)
    quotient, remainder = divmod(abs(delta), abs(previous))
    rounded = quotient + (1 if 2 * remainder >= abs(previous) else 0)
    return rounded if (delta >= 0) == (previous > 0) else -rounded
