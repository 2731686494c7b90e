"""Finding orders for the back office: filters, a search box, a sort and keyset pages.

Keyset pagination: a page ends with a cursor (the last row's sort value and id), and the
next page starts strictly after it, so pages stay stable while orders are placed and
cost the same however deep one goes. Read-only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement

from shopdb.db.schema import orders, users
from shopdb.errors import InvalidInput
from shopdb.lifecycle import ORDER_STATUSES
from shopdb.services._tx import run_in_transaction

SORTS = {
    "newest": (orders.c.created_at, True),
    "oldest": (orders.c.created_at, False),
    "total_desc": (orders.c.total_cents, True),
    "total_asc": (orders.c.total_cents, False),
}
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class OrderFilter:
    """What to look for; every field is optional."""

    status: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    user_id: int | None = None
    min_total_cents: int | None = None
    max_total_cents: int | None = None
    search: str | None = None
    """An order number, or (part of) a customer's email."""


@dataclass(frozen=True)
class OrderRow:
    """One line of the orders table."""

    order_id: int
    created_at: datetime
    status: str
    total_cents: int
    user_id: int
    email: str


@dataclass(frozen=True)
class OrderPage:
    """A page of orders and the cursor of the next one (None on the last page)."""

    rows: list[OrderRow]
    next_cursor: str | None


def validate_filter(flt: OrderFilter) -> OrderFilter:
    """Return the filter if its values make sense.

    Raises:
        InvalidInput: an unknown status, a negative total, or bounds the wrong way round.
    """
    if flt.status is not None and flt.status not in ORDER_STATUSES:
        raise InvalidInput(f"unknown status {flt.status!r}: use one of {', '.join(ORDER_STATUSES)}")
    for value in (flt.min_total_cents, flt.max_total_cents):
        if value is not None and value < 0:
            raise InvalidInput("a total cannot be negative")
    if (
        flt.min_total_cents is not None
        and flt.max_total_cents is not None
        and flt.min_total_cents > flt.max_total_cents
    ):
        raise InvalidInput("the minimum total is above the maximum")
    if flt.since is not None and flt.until is not None and flt.since >= flt.until:
        raise InvalidInput("the first day is after the last day")
    return flt


def _conditions(flt: OrderFilter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if flt.status:
        found.append(orders.c.status == flt.status)
    if flt.since is not None:
        found.append(orders.c.created_at >= flt.since)
    if flt.until is not None:
        found.append(orders.c.created_at < flt.until)
    if flt.user_id is not None:
        found.append(orders.c.user_id == flt.user_id)
    if flt.min_total_cents is not None:
        found.append(orders.c.total_cents >= flt.min_total_cents)
    if flt.max_total_cents is not None:
        found.append(orders.c.total_cents <= flt.max_total_cents)
    term = (flt.search or "").strip().lstrip("#").lower()
    if term.isdigit():
        found.append(orders.c.order_id == int(term))
    elif term:
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        found.append(users.c.email.like(f"%{escaped}%", escape="\\"))
    return found


def _sort(sort: str) -> tuple[Any, bool]:
    if sort not in SORTS:
        raise InvalidInput(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
    return SORTS[sort]


def encode_cursor(sort: str, row: OrderRow) -> str:
    """The cursor that starts the page after ``row``."""
    column, _ = _sort(sort)
    value = row.created_at.isoformat() if column is orders.c.created_at else str(row.total_cents)
    return f"{value}~{row.order_id}"


def _after(sort: str, cursor: str) -> ColumnElement[bool]:
    column, descending = _sort(sort)
    value_text, _, id_text = cursor.rpartition("~")
    try:
        last_id = int(id_text)
        value: Any = (
            datetime.fromisoformat(value_text) if column is orders.c.created_at else int(value_text)
        )
    except ValueError:
        raise InvalidInput(f"malformed page cursor {cursor!r}") from None
    if isinstance(value, datetime) and value.tzinfo is None:
        raise InvalidInput(f"malformed page cursor {cursor!r}")
    beyond = column < value if descending else column > value
    next_id = orders.c.order_id < last_id if descending else orders.c.order_id > last_id
    return or_(beyond, and_(column == value, next_id))


def _statement(flt: OrderFilter, sort: str) -> Select[Any]:
    column, descending = _sort(sort)
    order_id = orders.c.order_id
    return (
        select(
            orders.c.order_id,
            orders.c.created_at,
            orders.c.status,
            orders.c.total_cents,
            orders.c.user_id,
            users.c.email,
        )
        .join(users, users.c.user_id == orders.c.user_id)
        .where(*_conditions(validate_filter(flt)))
        .order_by(
            column.desc() if descending else column,
            order_id.desc() if descending else order_id,
        )
    )


def search_orders(
    engine: Engine,
    flt: OrderFilter,
    *,
    sort: str = "newest",
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> OrderPage:
    """One page of the orders ``flt`` matches, in ``sort`` order, after ``cursor``.

    Raises:
        InvalidInput: a bad filter, sort, cursor or page size; nothing is read.
    """
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput(f"a page holds 1 to {MAX_PAGE_SIZE} orders")
    stmt = _statement(flt, sort)
    if cursor:
        stmt = stmt.where(_after(sort, cursor))
    stmt = stmt.limit(limit + 1)

    def body(conn: Connection) -> list[OrderRow]:
        return [OrderRow(*row) for row in conn.execute(stmt)]

    rows = run_in_transaction(engine, body, write=False)
    more = len(rows) > limit
    rows = rows[:limit]
    return OrderPage(rows, encode_cursor(sort, rows[-1]) if more and rows else None)


def iter_orders(engine: Engine, flt: OrderFilter, *, sort: str = "newest") -> Iterator[OrderRow]:
    """Every order ``flt`` matches, read a page at a time (for CSV export)."""
    cursor: str | None = None
    while True:
        page = search_orders(engine, flt, sort=sort, cursor=cursor, limit=MAX_PAGE_SIZE)
        yield from page.rows
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def newest_order_day(engine: Engine) -> datetime | None:
    """When the newest order was placed (None in an empty shop)."""
    stmt = select(orders.c.created_at).order_by(orders.c.created_at.desc()).limit(1)
    return run_in_transaction(engine, lambda conn: conn.execute(stmt).scalar(), write=False)
