"""A sum that leaves the 64-bit integer range, told apart from other database errors.

Each amount is bounded (``limits.py``), but the number of orders is not: SQLite's
``sum()`` of integers raises ``integer overflow`` once the running total passes
2**63 - 1, which 93 orders at the largest total allowed reach. MariaDB and PostgreSQL
sum integers into DECIMAL and NUMERIC and return the exact figure, but their casts of a
result back to BIGINT refuse it the same way (MariaDB error 1690, PostgreSQL SQLSTATE
22003). SQLite's ``total()`` would not fail, but it returns a float: wrong for cents.
So a read that overflows is reported as one line, never answered with a rounded figure.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError

from shopdb.errors import NumberOverflow

_MYSQL_OUT_OF_RANGE = 1690
_POSTGRESQL_OUT_OF_RANGE = "22003"


def is_integer_overflow(exc: DBAPIError) -> bool:
    """Whether ``exc`` reports integer arithmetic past the 64-bit range."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == _POSTGRESQL_OUT_OF_RANGE:
        return True
    args = getattr(orig, "args", ())
    if args and isinstance(args[0], int):
        return args[0] == _MYSQL_OUT_OF_RANGE
    return "integer overflow" in str(orig).lower()


@contextmanager
def overflow_refused(what: str) -> Iterator[None]:
    """Turn an integer overflow inside the block into ``NumberOverflow`` naming ``what``
    (``"query 'total_revenue'"``); any other error passes unchanged.

    Raises:
        NumberOverflow: a sum passed 2**63 - 1; the statement was refused.
    """
    try:
        yield
    except DBAPIError as exc:
        if not is_integer_overflow(exc):
            raise
        raise number_overflow(what) from None


def number_overflow(what: str) -> NumberOverflow:
    """The ``NumberOverflow`` that refuses ``what``: one message wherever it is detected
    (a refused ``sum()`` here; an integer column that SQLite turned into a float, when
    arithmetic on it passed the range, in ``queries.runner``)."""
    return NumberOverflow(
        what,
        f"{what} cannot be answered: a sum passes the largest 64-bit integer "
        f"(2**63 - 1 = {2**63 - 1:,}), more than the database can add up exactly",
    )
