"""Days and months as the rollups key them, and a date range cut into whole buckets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

EPOCH = date(1970, 1, 1)


def day_index(at: datetime | date) -> int:
    """Whole days from 1970-01-01 to the UTC day of ``at``."""
    day = at.astimezone(UTC).date() if isinstance(at, datetime) else at
    return (day - EPOCH).days


def day_ceiling(at: datetime) -> int:
    """The ``day_index`` of the first UTC midnight at or after ``at`` (the SQL
    ``{day_ceiling()}``): ``at``'s day + 1, or its day when ``at`` is a midnight."""
    return day_index(at) + (0 if is_midnight(at) else 1)


def month_index(at: datetime | date) -> int:
    """``year * 12 + month - 1`` of the UTC month of ``at`` (the SQL ``{month_index()}``)."""
    day = at.astimezone(UTC).date() if isinstance(at, datetime) else at
    return day.year * 12 + day.month - 1


def month_of_day(day: int) -> int:
    """The ``month_index`` of the day ``day_index`` numbers."""
    return month_index(EPOCH + timedelta(days=day))


def day_start(day: int) -> datetime:
    """Midnight UTC starting the day ``day_index`` numbers."""
    return datetime.combine(EPOCH + timedelta(days=day), time(0), UTC)


def _month_start_day(index: int) -> int:
    return day_index(date(index // 12, index % 12 + 1, 1))


def is_midnight(at: datetime) -> bool:
    """Whether ``at`` is 00:00 UTC exactly: a range bound a daily rollup can answer."""
    return at.astimezone(UTC).time() == time(0)


@dataclass(frozen=True)
class DayRange:
    """The days ``[d_since, d_until)`` cut into days before the first whole month, whole
    months ``[m_from, m_to)``, and days after the last whole month.

    The SQL reads ``product_sales_monthly`` for the months and ``product_sales_daily``
    for ``[d_since, d_head_end)`` and ``[d_tail_start, d_until)``, so a long range reads
    one row per product and month, not per product and day.
    """

    d_since: int
    d_head_end: int
    d_tail_start: int
    d_until: int
    m_from: int
    m_to: int

    def binds(self) -> dict[str, int]:
        """The values the rollup SQL binds."""
        return {
            "d_since": self.d_since,
            "d_head_end": self.d_head_end,
            "d_tail_start": self.d_tail_start,
            "d_until": self.d_until,
            "m_from": self.m_from,
            "m_to": self.m_to,
        }


def day_range(since: datetime, until: datetime) -> DayRange:
    """Cut ``[since, until)`` (both at midnight UTC) into head days, months, tail days."""
    d_since, d_until = day_index(since), day_index(until)
    first_day = since.astimezone(UTC).date()
    m_from = month_index(first_day) + (0 if first_day.day == 1 else 1)
    m_to = month_index(until.astimezone(UTC).date())
    if m_from >= m_to:
        return DayRange(d_since, d_until, d_until, d_until, 0, 0)
    return DayRange(
        d_since, _month_start_day(m_from), _month_start_day(m_to), d_until, m_from, m_to
    )
