"""The few SQL fragments that differ between backends, expanded before a query runs.

A query file writes ``{name(arg, ...)}`` where the three dialects disagree; everything
else is plain SQL shared by all three. The set is kept small on purpose:

- ``{recognized(status)}``: the status is one of ``RECOGNIZED_STATUSES``.
- ``{allowed_transition(from, to)}``: the change ``from -> to`` is one the order
  lifecycle allows (``TRANSITIONS``).
- ``{month_index(ts)}``: the UTC month of a timestamp as ``year * 12 + month - 1``, an
  integer, so months compare, subtract and join with plain arithmetic.
- ``{day_index(ts)}``: the UTC day of a timestamp as whole days since 1970-01-01, the
  key of the daily rollups.
- ``{day_ceiling(ts)}``: the day index of the first UTC midnight at or after a
  timestamp (its day + 1, or its day at midnight exactly): a customer's recency at a
  midnight is that midnight's day index less this (``customer_recency_frequency``).
- ``{month_label(index)}``: a month index back to ``YYYY-MM`` text.
- ``{month_start_day(index)}``: the day index of a month index's first day (the rollup
  forms cut a range of days into its calendar months with it; the lake has no rollups).
- ``{div(a, b)}``: integer division truncating toward zero (MariaDB's ``/`` gives a
  decimal, PostgreSQL's ``/`` on numeric keeps the fraction).
- ``{round_div(a, b)}``: ``a / b`` rounded half away from zero to an integer; NULL when
  ``b`` is 0. ``b`` must not be negative.
- ``{ratio_bp(a, b)}``: ``a / b`` in basis points (x 10,000), rounded the same way.
- ``{days_between(a, b)}``: whole days from timestamp ``a`` to ``b`` (``b >= a``).
- ``{hour_of(ts)}``: the UTC hour of a timestamp, 0 to 23.
- ``{join_after(table)}``: ``inner join table``, read after the tables before it. On
  MariaDB a ``straight_join``: its optimizer otherwise drives a join from a few rows of
  a rollup into ``orders`` the other way round, scanning every order (rfm_segments at
  SF 1: 2.4 s against 0.5 s).
- ``{rfm_score(rank, customers)}``: a 1-5 score from a rank among ``customers``
  (rank 1 gets 1), and ``{rfm_segment(r_score, f_score)}``: the RFM segment's name. The
  same rule wherever segments are counted or shown (``rfm_segments.sql``,
  ``customer_segments.sql``), like ``recognized``.
- ``{integer_series(name, column, first, last)}``: the body of the CTE
  ``name (column)``: one row per integer from ``first`` up to ``last`` (only ``first``,
  which may be NULL, when ``last`` is smaller or NULL). The row stores and DuckDB count
  with a recursive CTE (the file's ``with recursive``); Spark runs every step of a
  recursive CTE as a job of its own, so it gets ``sequence`` instead, and DuckDB
  evaluates ``last`` again at every step (a scan of ``orders`` each: cohort_retention
  spent three quarters of its time there), so it gets ``generate_series``.

- ``{materialized(name)}``: ``name as``, opening a CTE that DuckDB is to compute once
  (``name as materialized``). A CTE read once in the SQL is inlined, and DuckDB's
  optimizer turns a window over it partitioned by a key into a join of two copies, so
  it computes the CTE twice (cohort_retention's customer-months at SF 10: 7.3 -> 5.9 s
  of CPU). The row stores and Spark get the plain CTE.
- ``{same_order_items(cte)}``: the items a basket pair's second product is read from,
  joined by order to ``cte``'s items of the first: ``cte`` itself, or on MariaDB
  ``order_items``. MariaDB computes a CTE again at every reference, and the pairs' CTE
  carries the chain that bounds them (frequently_bought_together over 365 days at SF 1:
  17.3 -> 8.9 s); the others compute it once and join it faster than the table (SQLite
  1.7 -> 4.7 s). Both give the same pairs: a second product outside ``cte`` is in fewer
  orders than the bound, so its pairs rank below the top ones or fail ``min_orders``.
- ``{order_items_with_order(alias)}``: in a FROM clause, the order items as ``alias``
  with their order's status and creation time as two more columns, ``order_status`` and
  ``order_created_at`` (``ITEM_ORDER_COLUMNS``). The row stores join ``orders`` (a
  derived table their optimizers merge into the query: the same plan as the join
  written out); the lake's ``order_items`` carries both columns
  (``lake.layout.LakeTable.carried``), so an item scan there reads one table.
- ``{order_items_placed(alias, from, until)}``: the same, for a query that keeps only
  the items of orders placed in ``[from, until)`` (its WHERE says so: this fragment
  filters nothing on the row stores). DuckDB reads only the lake's month partitions
  that range touches (``DuckLake``'s ``order_items_by_month`` view, where the hive
  ``month`` of each file is a column): the file's statistics would skip the other
  months too, but only after opening every month's footer, 35 of low_inventory's 36
  at SF 1. Spark gets the plain table.

Integer arithmetic instead of floating point keeps every ratio identical on all three.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from shopdb.lifecycle import RECOGNIZED_STATUSES, TRANSITIONS

_Expander = Callable[[list[str]], str]


def _recognized(args: list[str]) -> str:
    statuses = ", ".join(f"'{s}'" for s in RECOGNIZED_STATUSES)
    return f"{args[0]} in ({statuses})"


def _allowed_transition(args: list[str]) -> str:
    source, target = args
    pairs = [
        f"({source} = '{a}' and {target} = '{b}')"
        for a, targets in TRANSITIONS.items()
        for b in sorted(targets)
    ]
    return "(" + "\n or ".join(pairs) + ")"


RFM_SEGMENTS = ("champions", "loyal", "at_risk", "promising", "hibernating", "needs_attention")
"""Every segment ``{rfm_segment(...)}`` names."""


def _rfm_segment(args: list[str]) -> str:
    r, f = (f"({x})" for x in args)
    return (
        f"(case when {r} >= 4 and {f} >= 4 then 'champions'"
        f" when {r} <= 2 and {f} >= 4 then 'at_risk'"
        f" when {f} >= 4 then 'loyal'"
        f" when {r} >= 4 then 'promising'"
        f" when {r} <= 2 then 'hibernating'"
        " else 'needs_attention' end)"
    )


def _rfm_score(dialect: str) -> _Expander:
    def expand(args: list[str]) -> str:
        rank, customers = args
        return "(1 + " + _DIV[dialect]([f"5 * (({rank}) - 1)", customers]) + ")"

    return expand


def _same_order_items(dialect: str) -> _Expander:
    return lambda a: "order_items" if dialect == "mysql" else a[0]


def _join_after(dialect: str) -> _Expander:
    join = "straight_join" if dialect == "mysql" else "inner join"
    return lambda a: f"{join} {a[0]}"


ITEM_ORDER_COLUMNS = (("order_status", "status"), ("order_created_at", "created_at"))
"""The columns ``{order_items_with_order(...)}`` adds to the order items: ``(name,
column of orders)``."""


def _joined_items(args: list[str]) -> str:
    carried = ", ".join(f"o.{column} as {name}" for name, column in ITEM_ORDER_COLUMNS)
    return (
        f"(select i.order_item_id, i.order_id, i.product_id, i.quantity, i.unit_price_cents,"
        f" {carried} from order_items as i inner join orders as o on o.order_id = i.order_id)"
        f" as {args[0]}"
    )


def _lake_items(args: list[str]) -> str:
    return f"order_items as {args[0]}"


def _duck_items_placed(args: list[str]) -> str:
    alias, first, until = args
    months = f"month >= strftime({first}, '%Y-%m') and month <= strftime({until}, '%Y-%m')"
    return f"(select * exclude (month) from order_items_by_month where {months}) as {alias}"


def _recursive_series(args: list[str]) -> str:
    name, column, first, last = args
    return (
        f"select {first}\n    union all\n    select {column} + 1\n    from {name}\n"
        f"    where {column} < {last}"
    )


def _spark_series(args: list[str]) -> str:
    _, column, first, last = args
    # explode_outer of sequence(NULL, ...) gives the one NULL row the recursive form's
    # anchor gives; greatest() skips a NULL last, as the recursive step stops on it
    return f"select explode_outer(sequence({first}, greatest({first}, {last}))) as {column}"


def _duck_series(args: list[str]) -> str:
    _, column, first, last = args
    # generate_series(NULL, ...) is NULL: coalesce gives the anchor's one NULL row;
    # greatest() skips a NULL last, as the recursive step stops on it
    return (
        f"select unnest(coalesce(generate_series({first}, greatest({first}, {last})), [null]))"
        f" as {column}"
    )


def _round_div(dialect: str) -> _Expander:
    def expand(args: list[str]) -> str:
        a, b = (f"({x})" for x in args)
        up = _DIV[dialect]([f"2 * {a} + {b}", f"2 * {b}"])
        down = _DIV[dialect]([f"2 * -{a} + {b}", f"2 * {b}"])
        return f"(case when {b} = 0 then null when {a} < 0 then -{down} else {up} end)"

    return expand


def _ratio_bp(dialect: str) -> _Expander:
    def expand(args: list[str]) -> str:
        return _round_div(dialect)([f"10000 * ({args[0]})", args[1]])

    return expand


_DIV: dict[str, _Expander] = {
    "sqlite": lambda a: f"(({a[0]}) / ({a[1]}))",
    "mysql": lambda a: f"(({a[0]}) div ({a[1]}))",
    "postgresql": lambda a: f"cast(div({a[0]}, {a[1]}) as bigint)",
    # the lake's engines (shopdb.lake): DuckDB's // and Spark's div truncate like SQLite's /
    "duckdb": lambda a: f"(({a[0]}) // ({a[1]}))",
    "spark": lambda a: f"(({a[0]}) div ({a[1]}))",
}


def _sqlite_days_between(args: list[str]) -> str:
    """Whole days from a to b, truncated toward zero like the other backends: the days
    between the two dates, less one going forward (or plus one going back) when b's
    time of day has not reached a's. The stored text is YYYY-MM-DD HH:MM:SS.ffffff, so
    text order is time order and characters 12-26 are the time of day: exact to the
    microsecond, with two julianday calls a row instead of strftime('%s')'s four."""
    a, b = args
    days = f"cast(julianday(substr({b}, 1, 10)) - julianday(substr({a}, 1, 10)) as integer)"
    return (
        f"(case when {b} >= {a} then {days} - (substr({b}, 12) < substr({a}, 12))"
        f" else {days} + (substr({b}, 12) > substr({a}, 12)) end)"
    )


_DIALECT_FRAGMENTS: dict[str, dict[str, _Expander]] = {
    "sqlite": {
        # the stored text starts with YYYY-MM: substr is cheaper per row than strftime
        "month_index": lambda a: (
            f"(cast(substr({a[0]}, 1, 4) as integer) * 12"
            f" + cast(substr({a[0]}, 6, 2) as integer) - 1)"
        ),
        "month_label": lambda a: f"printf('%04d-%02d', ({a[0]}) / 12, ({a[0]}) % 12 + 1)",
        "hour_of": lambda a: f"cast(strftime('%H', {a[0]}) as integer)",
        # the stored text starts with YYYY-MM-DD; julianday of a date is n + 0.5
        "day_index": lambda a: f"cast(julianday(substr({a[0]}, 1, 10)) - 2440587.5 as integer)",
        # the stored text's time of day is characters 12-26, HH:MM:SS.ffffff
        "day_ceiling": lambda a: (
            f"(cast(julianday(substr({a[0]}, 1, 10)) - 2440587.5 as integer)"
            f" + (substr({a[0]}, 12) > '00:00:00.000000'))"
        ),
        "days_between": _sqlite_days_between,
        "month_start_day": lambda a: (
            f"cast(julianday(printf('%04d-%02d-01', ({a[0]}) / 12, ({a[0]}) % 12 + 1))"
            " - 2440587.5 as integer)"
        ),
    },
    "mysql": {
        "month_index": lambda a: f"(year({a[0]}) * 12 + month({a[0]}) - 1)",
        "day_index": lambda a: f"(to_days({a[0]}) - 719528)",
        "day_ceiling": lambda a: f"(to_days({a[0]}) - 719528 + ({a[0]} > date({a[0]})))",
        "month_label": lambda a: (
            f"concat(lpad(({a[0]}) div 12, 4, '0'), '-', lpad(({a[0]}) % 12 + 1, 2, '0'))"
        ),
        "days_between": lambda a: f"timestampdiff(day, {a[0]}, {a[1]})",
        "hour_of": lambda a: f"hour({a[0]})",
        "month_start_day": lambda a: (
            f"(to_days(makedate(({a[0]}) div 12, 1) + interval (({a[0]}) % 12) month) - 719528)"
        ),
    },
    "postgresql": {
        "month_index": lambda a: (
            f"(cast(extract(year from {a[0]}) as integer) * 12"
            f" + cast(extract(month from {a[0]}) as integer) - 1)"
        ),
        "day_index": lambda a: f"(cast({a[0]} as date) - date '1970-01-01')",
        "day_ceiling": lambda a: (
            f"(cast({a[0]} as date) - date '1970-01-01'"
            f" + case when {a[0]} > cast({a[0]} as date) then 1 else 0 end)"
        ),
        "month_label": lambda a: (
            f"(lpad(cast(({a[0]}) / 12 as text), 4, '0') || '-'"
            f" || lpad(cast(({a[0]}) % 12 + 1 as text), 2, '0'))"
        ),
        "days_between": lambda a: f"cast(extract(day from ({a[1]}) - ({a[0]})) as integer)",
        "hour_of": lambda a: f"cast(extract(hour from {a[0]}) as integer)",
        "month_start_day": lambda a: (
            f"(make_date(cast(({a[0]}) / 12 as integer), cast(({a[0]}) % 12 + 1 as integer), 1)"
            " - date '1970-01-01')"
        ),
    },
    # the lake's engines run with their session time zone set to UTC
    "duckdb": {
        # year() and month() of a TIMESTAMPTZ go through ICU's calendar, five times
        # slower per row than of the same UTC instant as a plain timestamp
        "month_index": lambda a: (
            f"(year(make_timestamp(epoch_us({a[0]}))) * 12"
            f" + month(make_timestamp(epoch_us({a[0]}))) - 1)"
        ),
        "month_label": lambda a: (
            f"(lpad(cast(({a[0]}) // 12 as varchar), 4, '0') || '-'"
            f" || lpad(cast(({a[0]}) % 12 + 1 as varchar), 2, '0'))"
        ),
        "days_between": lambda a: f"((epoch_us({a[1]}) - epoch_us({a[0]})) // 86400000000)",
        "integer_series": _duck_series,
        "materialized": lambda a: f"{a[0]} as materialized",
        "order_items_with_order": _lake_items,
        "order_items_placed": _duck_items_placed,
    },
    "spark": {
        "month_index": lambda a: f"(year({a[0]}) * 12 + month({a[0]}) - 1)",
        "month_label": lambda a: (
            f"(lpad(cast(({a[0]}) div 12 as string), 4, '0') || '-'"
            f" || lpad(cast(({a[0]}) % 12 + 1 as string), 2, '0'))"
        ),
        "days_between": lambda a: f"((unix_micros({a[1]}) - unix_micros({a[0]})) div 86400000000)",
        "integer_series": _spark_series,
        "order_items_with_order": _lake_items,
        "order_items_placed": lambda a: _lake_items(a[:1]),
    },
}

FRAGMENT_NAMES = frozenset(
    {
        "recognized",
        "allowed_transition",
        "month_index",
        "day_index",
        "day_ceiling",
        "month_label",
        "month_start_day",
        "div",
        "round_div",
        "ratio_bp",
        "days_between",
        "hour_of",
        "integer_series",
        "rfm_score",
        "rfm_segment",
        "join_after",
        "same_order_items",
        "order_items_with_order",
        "order_items_placed",
        "materialized",
    }
)
_ARITY = {
    "recognized": 1,
    "month_index": 1,
    "day_index": 1,
    "day_ceiling": 1,
    "month_label": 1,
    "month_start_day": 1,
    "days_between": 2,
    "hour_of": 1,
    "integer_series": 4,
    "join_after": 1,
    "same_order_items": 1,
    "order_items_with_order": 1,
    "order_items_placed": 3,
    "materialized": 1,
}
_START = re.compile(r"\{(\w+)\(")


def expand(sql: str, dialect: str) -> str:
    """Replace every ``{name(args)}`` in ``sql`` with ``dialect``'s SQL for it.

    Raises:
        ValueError: an unknown fragment, a wrong number of arguments or unbalanced
            parentheses; a bug in a query file, caught by the tests.
    """
    fragments = {
        "integer_series": _recursive_series,
        "order_items_with_order": _joined_items,
        "order_items_placed": lambda a: _joined_items(a[:1]),
        "materialized": lambda a: f"{a[0]} as",
        **_DIALECT_FRAGMENTS[dialect],
        "recognized": _recognized,
        "allowed_transition": _allowed_transition,
        "div": _DIV[dialect],
        "round_div": _round_div(dialect),
        "ratio_bp": _ratio_bp(dialect),
        "rfm_score": _rfm_score(dialect),
        "rfm_segment": _rfm_segment,
        "join_after": _join_after(dialect),
        "same_order_items": _same_order_items(dialect),
    }
    out: list[str] = []
    pos = 0
    while (match := _START.search(sql, pos)) is not None:
        name = match.group(1)
        if name not in fragments:
            raise ValueError(f"unknown SQL fragment {{{name}(...)}}")
        args, end = _split_args(sql, match.end())
        if not sql.startswith("}", end):
            raise ValueError(f"fragment {{{name}(...)}} is not closed by '}}'")
        if len(args) != _ARITY.get(name, 2):
            raise ValueError(f"fragment {{{name}(...)}} takes {_ARITY.get(name, 2)} arguments")
        out.append(sql[pos : match.start()])
        out.append(fragments[name]([expand(a, dialect) for a in args]))
        pos = end + 1
    out.append(sql[pos:])
    return "".join(out)


def _split_args(sql: str, start: int) -> tuple[list[str], int]:
    """Split the arguments after an opening parenthesis; return them and the index after ')'."""
    depth, args, current = 0, [], start
    for i in range(start, len(sql)):
        char = sql[i]
        if char == "(":
            depth += 1
        elif char == ")" and depth > 0:
            depth -= 1
        elif char == ")":
            args.append(sql[current:i].strip())
            return args, i + 1
        elif char == "," and depth == 0:
            args.append(sql[current:i].strip())
            current = i + 1
    raise ValueError("unbalanced parentheses in an SQL fragment")
