"""Query parameters: what each kind accepts, and its one-line error when it does not.

Every value is checked here and bound to the statement, never pasted into SQL.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from shopdb.errors import InvalidInput
from shopdb.limits import MAX_ID

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 12, 31, tzinfo=UTC)


@dataclass(frozen=True)
class Param:
    """One parameter of a query.

    Attributes:
        name: the name bound in the SQL (``since`` binds ``:since``).
        kind: ``since``, ``until``, ``as_of``, ``count`` or ``category``.
        help: one line for ``--list`` and the docs.
        default: the value used when the caller gives none (for counts).
        maximum: the largest value a count accepts.
    """

    name: str
    kind: str
    help: str
    default: int | None = None
    maximum: int = 100_000

    def convert(self, raw: Any) -> Any:
        """Turn a value (text from the CLI, or a Python value) into the bound value.

        Raises:
            InvalidInput: the value is malformed or out of range.
        """
        return _CONVERTERS[self.kind](self, raw)

    def default_value(self) -> Any:
        """The bound value when the caller gives none."""
        if self.kind == "since":
            return EARLIEST
        if self.kind == "until":
            return LATEST
        if self.kind == "as_of":
            return datetime.now(UTC)
        if self.kind == "category":
            return 0  # the SQL reads 0 as "every category"
        return self.default


def _date(param: Param, raw: Any) -> datetime:
    if isinstance(raw, datetime):
        return _aware(raw)
    if isinstance(raw, date):
        return datetime(raw.year, raw.month, raw.day, tzinfo=UTC)
    try:
        day = date.fromisoformat(str(raw).strip())
    except ValueError:
        raise InvalidInput(f"bad date for {param.name}: {raw!r} (use YYYY-MM-DD)") from None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _since(param: Param, raw: Any) -> datetime:
    return _date(param, raw)


def _until(param: Param, raw: Any) -> datetime:
    # a date means "up to and including that day": bind the next midnight, exclusive
    if isinstance(raw, datetime):
        return _aware(raw)
    start = _date(param, raw)
    if start >= LATEST:
        return LATEST
    return start + timedelta(days=1)


def _as_of(param: Param, raw: Any) -> datetime:
    if isinstance(raw, datetime):
        return _aware(raw)
    if isinstance(raw, date):
        return datetime(raw.year, raw.month, raw.day, tzinfo=UTC)
    text = str(raw).strip()
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            f"bad timestamp for {param.name}: {raw!r} (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)"
        ) from None
    return _aware(value)


def _aware(value: datetime) -> datetime:
    # a timestamp without an offset is read as UTC, shopdb's only time zone
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _whole(param: Param, raw: Any) -> int:
    if isinstance(raw, bool):
        raise InvalidInput(f"bad value for {param.name}: {raw!r} (expected a whole number)")
    if isinstance(raw, int):
        return raw
    try:
        return int(str(raw).strip())
    except ValueError:
        raise InvalidInput(
            f"bad value for {param.name}: {raw!r} (expected a whole number)"
        ) from None


def _count(param: Param, raw: Any) -> int:
    value = _whole(param, raw)
    if not 1 <= value <= param.maximum:
        raise InvalidInput(f"{param.name} must be between 1 and {param.maximum}, got {value}")
    return value


def _category(param: Param, raw: Any) -> int:
    if raw is None:
        return 0
    value = _whole(param, raw)
    if not 1 <= value <= MAX_ID:
        raise InvalidInput(f"{param.name} must be a category id (1 to {MAX_ID}), got {value}")
    return value


_CONVERTERS: dict[str, Callable[[Param, Any], Any]] = {
    "since": _since,
    "until": _until,
    "as_of": _as_of,
    "count": _count,
    "category": _category,
}

SINCE = Param("since", "since", "first day counted, YYYY-MM-DD; default: all history")
UNTIL = Param("until", "until", "last day counted, inclusive, YYYY-MM-DD; default: all history")
AS_OF = Param("as_of", "as_of", "the moment ages and recent windows end at; default: now")
CATEGORY = Param("category_id", "category", "only this category and its subcategories")


def year_before(values: Mapping[str, Any]) -> dict[str, Any]:
    """``since`` and ``until`` moved one calendar year back (29 February to the 28th): the
    period a year-over-year query compares the range with, read even outside the range."""
    return {
        "since_year_before": _one_year_back(values["since"]),
        "until_year_before": _one_year_back(values["until"]),
    }


def _one_year_back(moment: datetime) -> datetime:
    day = min(moment.day, calendar.monthrange(moment.year - 1, moment.month)[1])
    return moment.replace(year=moment.year - 1, day=day)


def limit(default: int = 10) -> Param:
    """The ``limit`` parameter: how many rows to return at most."""
    return Param("limit", "count", "rows to return at most", default=default)
