"""The rollups folded from the orders ``rollup_deltas``' order rows name:
``country_sales_daily`` and ``customer_country_days`` (revenue_by_country's orders,
revenue and distinct customers of any range of days), ``customer_first_two_days``
(repeat_purchase_rate's customers who do not repeat, for any range), and
``customer_first_day_totals`` (customer_lifetime_value's cohorts, for any range).

- The services write nothing for them: an order entering or leaving the recognized
  statuses already appends its own row to ``rollup_deltas``, naming the order (its
  count and total); the order's shipping country and customer never change once it is
  placed, so they come from ``orders`` when the row is folded.
- ``fold_orders`` runs in the fold's transaction (``build``), on the order rows of the
  batch it deleted: their counts and totals go to ``country_sales_daily`` by day and
  country; for ``customer_country_days`` the links of each customer-country the batch
  touches are computed again from that customer's orders before and after the batch,
  and the difference is added; so are each touched customer's first two days
  (``customer_first_two_days``) and lifetime totals under their first day
  (``customer_first_day_totals``). The customers' ``customer_sales`` rows are locked first
  (the services' own lock for a customer's changes), so neither a payment nor another
  fold changes their orders or their unfolded rows meanwhile.
- Readers and the audit add what the unfolded order rows change the same way: the
  sales as a sum, the customers by looking at the orders of the customer-countries the
  unfolded rows name (``revenue_by_country.rollup.sql``).

On any error the caller's transaction rolls back, and with it every row written here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.engine import Connection

from shopdb.db.rollup_schema import (
    NO_COUNTRY,
    NO_EARLIER_DAY,
    NO_LATER_DAY,
    country_sales_daily,
    customer_country_days,
    customer_first_day_totals,
    customer_first_two_days,
    customer_sales,
    rollup_deltas,
)
from shopdb.db.schema import orders
from shopdb.lifecycle import RECOGNIZED_STATUSES
from shopdb.rollups.buckets import day_index, month_of_day
from shopdb.rollups.upsert import add_rows

_CHUNK = 500
"""Orders (or customers) one ``IN`` list reads."""

Pair = tuple[int, str]
"""A customer and a country code (``NO_COUNTRY`` for none)."""

Link = tuple[int, int, str]
"""A ``customer_country_days`` key: day, previous day, country."""

Placed = tuple[Any, int, int]
"""A recognized order of one customer: its creation time, id and total."""

FOLDED = frozenset(
    {
        "country_sales_daily",
        "customer_country_days",
        "customer_first_two_days",
        "customer_first_day_totals",
    }
)
"""The rollups this module folds (``discount_pending`` takes some of them)."""


def links(days: Iterable[int]) -> list[Link]:
    """The rows one customer-country adds to ``customer_country_days`` (without its
    country): each of ``days`` after the one before it (``NO_EARLIER_DAY`` first), and
    the terminal row after the last; none for no days."""
    ordered = sorted(set(days))
    rows = [(d, ordered[i - 1] if i else NO_EARLIER_DAY, "") for i, d in enumerate(ordered)]
    if ordered:
        rows.append((NO_LATER_DAY, ordered[-1], ""))
    return rows


def range_binds(d_since: int, d_until: int, today: int) -> dict[str, int]:
    """How ``revenue_by_country.rollup.sql`` reads the customers of ``[d_since,
    d_until)``: the rows of the range's days (``cc_f1_*``), or the terminal rows and the
    rows of the days from ``d_until`` on (``cc_terminal``, ``cc_f2_*``), whichever reads
    fewer days given that no order is placed after ``today``; the other's ranges empty.
    The two give the same count (docs/schema.md)."""
    after = max(0, min(today + 1, NO_LATER_DAY) - d_until)
    if after < d_until - d_since:
        return {
            "cc_f1_since": 0,
            "cc_f1_until": 0,
            "cc_terminal": NO_LATER_DAY,
            "cc_f2_from": d_until,
            "cc_f2_until": NO_LATER_DAY,
        }
    return {
        "cc_f1_since": d_since,
        "cc_f1_until": d_until,
        "cc_terminal": NO_EARLIER_DAY - 1,
        "cc_f2_from": 0,
        "cc_f2_until": 0,
    }


def fold_orders(conn: Connection, changes: Sequence[tuple[int, int, int, int]]) -> None:
    """Add the folded order rows ``changes`` (``order_id``, ``day_index``,
    ``order_count``, ``revenue_cents`` of ``rollup_deltas``, already deleted from the log
    in the caller's transaction) to both per-country rollups. Rows are upserted in key
    order (two folds lock them in the same order)."""
    placed = _add_sales(conn, changes)
    count: dict[int, int] = defaultdict(int)
    for order_id, _, n, _ in changes:
        count[int(order_id)] += int(n)
    ids = sorted(o for o, n in count.items() if n)
    _relink(conn, {placed[o] for o in ids}, {o: count[o] for o in ids}, FOLDED)


def _add_sales(conn: Connection, changes: Sequence[tuple[int, int, int, int]]) -> dict[int, Pair]:
    """Add the order rows' counts and totals to ``country_sales_daily`` by day and the
    order's country; return each order's customer and country."""
    placed = _orders_by_id(conn, sorted({int(row[0]) for row in changes}))
    sales: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for order_id, day, n, cents in changes:
        row = sales[(int(day), placed[int(order_id)][1])]
        row[0] += int(n)
        row[1] += int(cents)
    add_rows(
        conn,
        country_sales_daily,
        [
            {"day_index": d, "country_code": c, "order_count": v[0], "revenue_cents": v[1]}
            for (d, c), v in sorted(sales.items())
            if any(v)
        ],
    )
    return placed


def discount_pending(conn: Connection, tables: frozenset[str]) -> None:
    """Take out of ``tables`` (some of ``FOLDED``), just computed from the base tables,
    what the order rows still unfolded in ``rollup_deltas`` change: they then hold the
    folded state the readers add those rows to (migrations 0016 and 0018)."""
    rows = conn.execute(_PENDING_ROWS).all()
    negated = [(o, d, -n, -cents) for o, d, n, cents in rows]
    count: dict[int, int] = defaultdict(int)
    for order_id, _, n, _ in negated:
        count[int(order_id)] += int(n)
    if "country_sales_daily" in tables:
        _add_sales(conn, negated)
    ids = sorted(o for o, n in count.items() if n)
    placed = _orders_by_id(conn, ids)
    _relink(conn, {placed[o] for o in ids}, {o: count[o] for o in ids}, tables)


def _relink(
    conn: Connection, touched: set[Pair], folded: dict[int, int], tables: frozenset[str]
) -> None:
    """Add to ``customer_country_days`` each touched customer-country's links after the
    batch less its links before, and to ``customer_first_two_days`` and
    ``customer_first_day_totals`` each touched customer's rows after less before, each
    if in ``tables`` (``folded``: each order's change in the batch; an order counts when
    recognized now less its unfolded rows is positive)."""
    if not touched:
        return
    users = sorted({user for user, _ in touched})
    for start in range(0, len(users), _CHUNK):
        conn.execute(_LOCK_CUSTOMERS, {"users": users[start : start + _CHUNK]}).all()
    pending = {int(o): int(n) for o, n in conn.execute(_PENDING) if n}
    after: dict[Pair, set[int]] = defaultdict(set)
    before: dict[Pair, set[int]] = defaultdict(set)
    firsts: dict[int, tuple[list[Placed], list[Placed]]] = {user: ([], []) for user in users}
    for start in range(0, len(users), _CHUNK):
        rows = conn.execute(_USER_ORDERS, {"users": users[start : start + _CHUNK]})
        for order_id, user_id, country, created_at, status, total in rows:
            now_in = 1 if status in RECOGNIZED_STATUSES else 0
            folded_in = now_in - pending.get(int(order_id), 0)
            was_in = folded_in - folded.get(int(order_id), 0)
            placed = (created_at, int(order_id), int(total))
            if folded_in > 0:
                firsts[int(user_id)][0].append(placed)
            if was_in > 0:
                firsts[int(user_id)][1].append(placed)
            pair = (int(user_id), country or NO_COUNTRY)
            day = day_index(created_at)
            if pair not in touched or not 0 <= day < NO_LATER_DAY:
                continue
            if folded_in > 0:
                after[pair].add(day)
            if was_in > 0:
                before[pair].add(day)
    sums: Counter[Link] = Counter()
    for pair in touched:
        country = pair[1]
        for d, p, _ in links(after[pair]):
            sums[(d, p, country)] += 1
        for d, p, _ in links(before[pair]):
            sums[(d, p, country)] -= 1
    if "customer_country_days" in tables:
        add_rows(
            conn,
            customer_country_days,
            [
                {"day_index": d, "prev_day_index": p, "country_code": c, "customer_count": n}
                for (d, p, c), n in sorted(sums.items())
                if n
            ],
        )
    if "customer_first_two_days" in tables:
        _add_first_two(conn, firsts.values())
    if "customer_first_day_totals" in tables:
        _add_first_day_totals(conn, firsts.values())


def first_two(placed: Iterable[Placed]) -> tuple[int, int] | None:
    """The ``customer_first_two_days`` key of a customer whose recognized orders are
    ``placed``: the second order's day (``NO_LATER_DAY`` for
    none) and the first's; None for no order."""
    ordered = sorted(placed)
    if not ordered:
        return None
    second = day_index(ordered[1][0]) if len(ordered) > 1 else NO_LATER_DAY
    return second, day_index(ordered[0][0])


Customers = Iterable[tuple[list[Placed], list[Placed]]]
"""Each touched customer's recognized orders after the batch, and before it."""


def _add_first_two(conn: Connection, customers: Customers) -> None:
    """Move each customer from their first-two key before to the one after."""
    sums: Counter[tuple[int, int]] = Counter()
    for after, before in customers:
        new, old = first_two(after), first_two(before)
        if new == old:
            continue
        if new is not None:
            sums[new] += 1
        if old is not None:
            sums[old] -= 1
    add_rows(
        conn,
        customer_first_two_days,
        [
            {"second_day_index": second, "first_day_index": first, "customer_count": n}
            for (second, first), n in sorted(sums.items())
            if n
        ],
    )


def lifetime(placed: Sequence[Placed]) -> tuple[int, tuple[int, int, int, int]] | None:
    """The ``customer_first_day_totals`` row of a customer whose recognized orders are
    ``placed``: their first order's day, and the customer (1), their orders, their spend
    and the whole days from their first order to their last; None for no order."""
    if not placed:
        return None
    first = min(at for at, _, _ in placed)
    last = max(at for at, _, _ in placed)
    spend = sum(total for _, _, total in placed)
    return day_index(first), (1, len(placed), spend, (last - first).days)


def _add_first_day_totals(conn: Connection, customers: Customers) -> None:
    """Move each customer's lifetime totals from their first day before to after."""
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for after, before in customers:
        for side, sign in ((lifetime(after), 1), (lifetime(before), -1)):
            if side is not None:
                row = sums[side[0]]
                for i, value in enumerate(side[1]):
                    row[i] += sign * value
    add_rows(
        conn,
        customer_first_day_totals,
        [
            {
                "first_day_index": day,
                "month_index": month_of_day(day),
                "customer_count": v[0],
                "order_count": v[1],
                "spend_cents": v[2],
                "lifespan_days": v[3],
            }
            for day, v in sorted(sums.items())
            if any(v)
        ],
    )


def _orders_by_id(conn: Connection, ids: Sequence[int]) -> dict[int, Pair]:
    """Each order's customer and country."""
    found: dict[int, Pair] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = conn.execute(_ORDERS, {"ids": list(ids[start : start + _CHUNK])})
        for order_id, user_id, country in rows:
            found[int(order_id)] = (int(user_id), country or NO_COUNTRY)
    return found


_ORDERS = select(orders.c.order_id, orders.c.user_id, orders.c.ship_country_code).where(
    orders.c.order_id.in_(bindparam("ids", expanding=True))
)
_PENDING_ROWS = select(
    rollup_deltas.c.order_id,
    rollup_deltas.c.day_index,
    rollup_deltas.c.order_count,
    rollup_deltas.c.revenue_cents,
).where(rollup_deltas.c.order_id.is_not(None))
_LOCK_CUSTOMERS = (
    select(customer_sales.c.user_id)
    .where(customer_sales.c.user_id.in_(bindparam("users", expanding=True)))
    .order_by(customer_sales.c.user_id)
    .with_for_update()
)
_PENDING = (
    select(rollup_deltas.c.order_id, func.sum(rollup_deltas.c.order_count))
    .where(rollup_deltas.c.order_id.is_not(None))
    .group_by(rollup_deltas.c.order_id)
)
_USER_ORDERS = select(
    orders.c.order_id,
    orders.c.user_id,
    orders.c.ship_country_code,
    orders.c.created_at,
    orders.c.status,
    orders.c.total_cents,
).where(orders.c.user_id.in_(bindparam("users", expanding=True)))
