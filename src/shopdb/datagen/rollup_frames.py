"""The rollups' rows computed from the generator's own frames, for the bulk path.

After a bulk load the generator holds every order and item it loaded, so it sums them in
NumPy as they pass (``RollupCollector.feed``) and loads the finished rollup rows through
the same bulk path as the shop (``load_rollups``), instead of running the rebuild's
``INSERT ... SELECT`` over millions of freshly loaded rows (at SF 1 that rebuild read
the orders and items back from disk: 85% of the load's own time on SQLite, 93% on
MariaDB). The rows are the ones ``rollups.build.rebuild`` computes from the base tables,
and ``shopdb check``'s rollup checks hold them equal to those tables; ``shopdb rollups
rebuild`` still rebuilds from the base tables.

Grouping sorts keys and sums with ``np.add.reduceat`` in int64: exact, where a float
``bincount`` would round sums beyond 2**53.
"""

from __future__ import annotations

from time import perf_counter

import numpy as np
from sqlalchemy import delete

from shopdb.datagen.cohort_frames import cohorts_frame
from shopdb.datagen.country_frames import (
    country_sales_frame,
    customer_country_days_frame,
    first_two_days_frame,
)
from shopdb.datagen.frames import NULL, Array, Frame, Labels, group_sums
from shopdb.datagen.funnel_frames import (
    METHODS,
    FunnelPart,
    PaymentPart,
    funnel_parts,
    payment_parts,
)
from shopdb.datagen.load import BulkSession, write_frame
from shopdb.datagen.pair_frames import pair_keys, pairs_frame
from shopdb.db.rollup_schema import (
    CATEGORY_MEASURES,
    NO_COUNTRY,
    NO_EARLIER_DAY,
    PRODUCT_MEASURES,
    ROLLUP_TABLES,
)
from shopdb.lifecycle import PAYMENT_METHODS, RECOGNIZED_STATUSES, REFUNDED
from shopdb.rollups.order_events import FUNNEL_MEASURES, PAYMENT_MEASURES
from shopdb.rollups.spans import ALL_TIME

DAY_S = 86_400
_PRODUCT_BITS = 32
_DAY_BITS = 32  # day indexes and (prev day + 1) fit in 32 bits until year 11 million
"""A (day, product) or (month, product) key is ``bucket << 32 | product``."""


def month_of_days(days: Array) -> Array:
    """``year * 12 + month - 1`` of each ``day_index`` (as ``buckets.month_index``)."""
    months_since_1970 = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return months_since_1970 + 1970 * 12


class RollupCollector:
    """Sees every frame the generator loads and sums what the rollups need.

    ``seconds`` is the time spent here, which the generator counts as rollup build time.
    """

    def __init__(self) -> None:
        self.users = 0
        self.seconds = 0.0
        self._item_parts: list[tuple[Array, ...]] = []
        # per recognized order: placed at, customer, total, id
        self._order_parts: list[tuple[Array, Array, Array, Array]] = []
        self._pair_parts: list[Array] = []
        self._funnel_parts: list[FunnelPart] = []
        self._payment_parts: list[PaymentPart] = []
        self._country_parts: list[Array] = []  # per recognized order, its country's number
        self._countries: dict[str, int] = {}
        self._product_categories: list[tuple[Array, Array]] = []  # product ids, categories

    def feed(self, frames: list[Frame]) -> None:
        """Take note of one ``write``'s frames (orders with their own items)."""
        started = perf_counter()
        by_table = {f.table: f for f in frames}
        if "users" in by_table:
            self.users += len(by_table["users"])
        if "products" in by_table:
            c = by_table["products"].columns
            self._product_categories.append(
                (np.asarray(c["product_id"], np.int64), np.asarray(c["category_id"], np.int64))
            )
        if "orders" in by_table:
            self._orders(by_table["orders"], by_table.get("order_items"))
            self._funnel_parts.append(
                funnel_parts(
                    by_table["orders"],
                    by_table.get("order_status_history"),
                    by_table.get("shipments"),
                )
            )
        if "payments" in by_table:
            self._payment_parts.append(payment_parts(by_table["payments"]))
        self.seconds += perf_counter() - started

    def _orders(self, orders: Frame, items: Frame | None) -> None:
        status = orders.columns["status"]
        assert isinstance(status, Labels)
        recognized_codes = [i for i, v in enumerate(status.values) if v in RECOGNIZED_STATUSES]
        recognized = np.isin(status.codes, recognized_codes)
        created = np.asarray(orders.columns["created_at"], dtype=np.int64)
        self._country_parts.append(self._country_numbers(orders)[recognized])
        self._order_parts.append(
            (
                created[recognized],
                np.asarray(orders.columns["user_id"], dtype=np.int64)[recognized],
                np.asarray(orders.columns["total_cents"], dtype=np.int64)[recognized],
                np.asarray(orders.columns["order_id"], dtype=np.int64)[recognized],
            )
        )
        if items is None or len(items) == 0:
            return
        order_ids = np.asarray(orders.columns["order_id"], dtype=np.int64)
        sorter = np.argsort(order_ids, kind="stable")
        item_order = np.asarray(items.columns["order_id"], dtype=np.int64)
        position = sorter[np.searchsorted(order_ids, item_order, sorter=sorter)]
        refunded_code = [i for i, v in enumerate(status.values) if v == REFUNDED]
        refunded = np.isin(status.codes, refunded_code)
        # the product rollups count recognized orders, and refunded ones' units
        keep = recognized[position] | refunded[position]
        counted = recognized[position][keep].astype(np.int64)
        day = created[position[keep]] // DAY_S
        product = np.asarray(items.columns["product_id"], dtype=np.int64)[keep]
        quantity = np.asarray(items.columns["quantity"], dtype=np.int64)[keep]
        price = np.asarray(items.columns["unit_price_cents"], dtype=np.int64)[keep]
        keys, sums = group_sums(
            (day << _PRODUCT_BITS) | product,
            counted,
            quantity * counted,
            quantity * price * counted,
            quantity * (1 - counted),
        )
        self._item_parts.append((keys, *sums))
        # the pairs of the recognized orders placed on the days "all time" covers
        # (spans.ALL_TIME)
        paired = (counted == 1) & (day >= ALL_TIME[0]) & (day < ALL_TIME[1])
        self._pair_parts.append(pair_keys(item_order[keep][paired], product[paired]))

    def _country_numbers(self, orders: Frame) -> Array:
        """Each order's shipping country as a number into ``_countries`` (``NO_COUNTRY``
        for none), the same number for a country in every chunk."""
        column = orders.columns["ship_country_code"]
        if isinstance(column, Labels):
            values, codes = column.values, np.asarray(column.codes, dtype=np.int64)
        else:
            found, inverse = np.unique(np.asarray(column, dtype=object), return_inverse=True)
            values, codes = tuple(found), inverse.astype(np.int64)
        number = [self._countries.setdefault(v or NO_COUNTRY, len(self._countries)) for v in values]
        return np.asarray(number, dtype=np.int64)[codes] if len(codes) else codes

    def frames(self) -> list[Frame]:
        """The rollups' rows, as ``rebuild`` would compute them from the base tables."""
        started = perf_counter()
        daily = self._product_daily()
        monthly = self._product_monthly(daily)
        out = [
            daily,
            monthly,
            self._product_yearly(monthly),
            self._product_total(daily),
            *self._per_category(daily),
            *self._customers_and_days(daily),
            self._customer_days(),
            self._cohorts(),
            pairs_frame(
                np.concatenate(self._pair_parts) if self._pair_parts else np.zeros(0, np.int64)
            ),
            self._funnel(),
            self._payments(),
            *self._per_country(),
        ]
        self.seconds += perf_counter() - started
        return out

    def _funnel(self) -> Frame:
        """``order_funnel_daily``: the orders' stages summed per day of placing."""
        days, sums = _summed(self._funnel_parts, len(FUNNEL_MEASURES))
        return Frame(
            "order_funnel_daily",
            {
                "day_index": days,
                "month_index": month_of_days(days),
                **dict(zip(FUNNEL_MEASURES, sums, strict=True)),
            },
        )

    def _payments(self) -> Frame:
        """``payment_method_daily``: the payments summed per day and method."""
        keys, sums = _summed(self._payment_parts, len(PAYMENT_MEASURES))
        return Frame(
            "payment_method_daily",
            {
                "day_index": keys // METHODS,
                "method": Labels(keys % METHODS, PAYMENT_METHODS),
                **dict(zip(PAYMENT_MEASURES, sums, strict=True)),
            },
        )

    def _product_daily(self) -> Frame:
        parts = self._item_parts
        keys, sums = group_sums(
            np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64),
            *(
                np.concatenate([p[1 + i] for p in parts]) if parts else np.zeros(0, np.int64)
                for i in range(len(PRODUCT_MEASURES))
            ),
        )
        day = keys >> _PRODUCT_BITS
        return Frame(
            "product_sales_daily",
            {
                "day_index": day,
                "product_id": keys & ((1 << _PRODUCT_BITS) - 1),
                "month_index": month_of_days(day),
                **dict(zip(PRODUCT_MEASURES, sums, strict=True)),
            },
        )

    @staticmethod
    def _product_monthly(daily: Frame) -> Frame:
        month = np.asarray(daily.columns["month_index"])
        return _per_bucket(daily, month, "product_sales_monthly", "month_index")

    @staticmethod
    def _product_yearly(monthly: Frame) -> Frame:
        year = np.asarray(monthly.columns["month_index"]) // 12
        return _per_bucket(monthly, year, "product_sales_yearly", "year_index")

    @staticmethod
    def _product_total(daily: Frame) -> Frame:
        c = daily.columns
        day = np.asarray(c["day_index"])
        # the days "all time" covers (spans.ALL_TIME); generated days all fall inside it
        inside = (day >= ALL_TIME[0]) & (day < ALL_TIME[1])
        keys, sums = group_sums(
            np.asarray(c["product_id"])[inside],
            *(np.asarray(c[name])[inside] for name in PRODUCT_MEASURES),
        )
        return Frame(
            "product_sales_total",
            {"product_id": keys, **dict(zip(PRODUCT_MEASURES, sums, strict=True))},
        )

    def _per_category(self, daily: Frame) -> tuple[Frame, Frame, Frame]:
        """``category_sales_daily``, ``_monthly`` and ``_yearly``: the product days summed
        per day and product's category, then per month and year."""
        parts = self._product_categories
        ids, category = (
            np.concatenate([p[i] for p in parts]) if parts else np.zeros(0, np.int64)
            for i in range(2)
        )
        lookup = np.zeros(int(ids.max()) + 1 if len(ids) else 1, dtype=np.int64)
        lookup[ids] = category
        c = daily.columns
        day = np.asarray(c["day_index"])
        keys, sums = group_sums(
            (day << _PRODUCT_BITS) | lookup[np.asarray(c["product_id"])],
            *(np.asarray(c[name]) for name in CATEGORY_MEASURES),
        )
        day = keys >> _PRODUCT_BITS
        daily_frame = Frame(
            "category_sales_daily",
            {
                "day_index": day,
                "category_id": keys & ((1 << _PRODUCT_BITS) - 1),
                "month_index": month_of_days(day),
                **dict(zip(CATEGORY_MEASURES, sums, strict=True)),
            },
        )
        monthly = _per_bucket(
            daily_frame,
            np.asarray(daily_frame.columns["month_index"]),
            "category_sales_monthly",
            "month_index",
            "category_id",
            CATEGORY_MEASURES,
        )
        year = np.asarray(monthly.columns["month_index"]) // 12
        yearly = _per_bucket(
            monthly, year, "category_sales_yearly", "year_index", "category_id", CATEGORY_MEASURES
        )
        return daily_frame, monthly, yearly

    def _customer_days(self) -> Frame:
        parts = self._order_parts
        created, user = (
            np.concatenate([p[i] for p in parts]) if parts else np.zeros(0, np.int64)
            for i in range(2)
        )
        return _customer_days_of(created, user)

    def _per_country(self) -> tuple[Frame, Frame, Frame]:
        """``country_sales_daily``, ``customer_country_days`` and
        ``customer_first_two_days``' rows (the rollups folded from the orders the change
        log names)."""
        parts = self._order_parts
        created, user, total = (
            np.concatenate([p[i] for p in parts]) if parts else np.zeros(0, np.int64)
            for i in range(3)
        )
        parts_c = self._country_parts
        country = np.concatenate(parts_c) if parts_c else np.zeros(0, np.int64)
        names = tuple(sorted(self._countries, key=self._countries.__getitem__))
        return (
            country_sales_frame(created // DAY_S, country, total, names),
            customer_country_days_frame(created // DAY_S, user, country, names),
            first_two_days_frame(created // DAY_S, user),
        )

    def _cohorts(self) -> Frame:
        parts = self._order_parts
        created, user = (
            np.concatenate([p[i] for p in parts]) if parts else np.zeros(0, np.int64)
            for i in range(2)
        )
        day = created // DAY_S
        return cohorts_frame(user, day, month_of_days(day))

    def _customers_and_days(self, daily: Frame) -> tuple[Frame, Frame, Frame, Frame]:
        """``customer_sales``, ``customer_recency_frequency``, ``sales_daily`` and
        ``customer_first_day_totals``."""
        parts = self._order_parts
        created, user, total, order_id = (
            np.concatenate([p[i] for p in parts]) if parts else np.zeros(0, np.int64)
            for i in range(4)
        )
        n = self.users + 1  # user ids are 1..users
        count = np.bincount(user, minlength=n).astype(np.int64)
        spend = np.zeros(n, dtype=np.int64)
        np.add.at(spend, user, total)
        first = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(first, user, created)
        last = np.full(n, NULL, dtype=np.int64)
        np.maximum.at(last, user, created)
        first[count == 0] = NULL
        customers = Frame(
            "customer_sales",
            {
                "user_id": np.arange(1, n, dtype=np.int64),
                "order_count": count[1:],
                "spend_cents": spend[1:],
                "first_order_at": first[1:],
                "last_order_at": last[1:],
            },
        )
        day, (orders, revenue) = group_sums(created // DAY_S, np.ones_like(created), total)
        # the days of recognized orders (a day of refunded orders only has no sales_daily row)
        sold = np.asarray(daily.columns["order_count"]) > 0
        unit_day, (units,) = group_sums(
            np.asarray(daily.columns["day_index"])[sold], np.asarray(daily.columns["units"])[sold]
        )
        new_day, (new, new_revenue) = _first_orders(created, user, total, order_id)
        groups = _recency_frequency_of(count[1:], spend[1:], last[1:])
        return (
            customers,
            groups,
            _first_day_totals_of(count[1:], spend[1:], first[1:], last[1:]),
            Frame(
                "sales_daily",
                {
                    "day_index": day,
                    "month_index": month_of_days(day),
                    "order_count": orders,
                    "revenue_cents": revenue,
                    "units": _on_days(day, unit_day, units),
                    "new_customer_count": _on_days(day, new_day, new),
                    "new_revenue_cents": _on_days(day, new_day, new_revenue),
                },
            ),
        )


def _first_orders(
    created: Array, user: Array, total: Array, order_id: Array
) -> tuple[Array, list[Array]]:
    """The days of customers' first recognized orders (in time order, ties by id) and,
    per day, how many and their totals."""
    order = np.lexsort((order_id, created, user))
    user = user[order]
    starts = np.flatnonzero(np.r_[True, user[1:] != user[:-1]]) if len(user) else order
    firsts = order[starts]
    return group_sums(created[firsts] // DAY_S, np.ones(len(firsts), np.int64), total[firsts])


def _summed(parts: list[tuple[Array, list[Array]]], width: int) -> tuple[Array, list[Array]]:
    """The distinct keys of ``parts`` (key array, ``width`` value arrays each) and the
    values summed per key."""
    keys = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64)
    columns = [
        np.concatenate([p[1][i] for p in parts]) if parts else np.zeros(0, np.int64)
        for i in range(width)
    ]
    return group_sums(keys, *columns)


def _per_bucket(
    rows: Frame,
    bucket: Array,
    table: str,
    bucket_column: str,
    key: str = "product_id",
    measures: tuple[str, ...] = PRODUCT_MEASURES,
) -> Frame:
    """``rows``' ``measures`` summed per ``bucket`` (one per row) and ``key`` (a product
    or a category), as rows of ``table`` keyed by ``bucket_column`` and ``key``."""
    c = rows.columns
    keys, sums = group_sums(
        (bucket << _PRODUCT_BITS) | np.asarray(c[key]),
        *(np.asarray(c[name]) for name in measures),
    )
    return Frame(
        table,
        {
            bucket_column: keys >> _PRODUCT_BITS,
            key: keys & ((1 << _PRODUCT_BITS) - 1),
            **dict(zip(measures, sums, strict=True)),
        },
    )


def _first_day_totals_of(count: Array, spend: Array, first: Array, last: Array) -> Frame:
    """``customer_first_day_totals``' rows from each customer's recognized orders, spend
    and first and last order (epoch seconds): per day of the first, the customers, their
    orders, spend and whole days from first to last, summed."""
    buying = count > 0
    day = first[buying] // DAY_S
    lifespan = (last[buying] - first[buying]) // DAY_S
    keys, (customers, orders, spent, days) = group_sums(
        day, np.ones_like(day), count[buying], spend[buying], lifespan
    )
    return Frame(
        "customer_first_day_totals",
        {
            "first_day_index": keys,
            "month_index": month_of_days(keys),
            "customer_count": customers,
            "order_count": orders,
            "spend_cents": spent,
            "lifespan_days": days,
        },
    )


def _recency_frequency_of(count: Array, spend: Array, last: Array) -> Frame:
    """``customer_recency_frequency``'s rows from each customer's recognized orders,
    spend and last order (epoch seconds): per day their recency counts from (the first
    midnight at or after the last order, ``buckets.day_ceiling``) and order count."""
    buying = count > 0
    day = -(-last[buying] // DAY_S)
    n = count[buying]
    keys, (customers, spent) = group_sums((day << _DAY_BITS) | n, np.ones_like(n), spend[buying])
    return Frame(
        "customer_recency_frequency",
        {
            "recency_from_day": keys >> _DAY_BITS,
            "order_count": keys & ((1 << _DAY_BITS) - 1),
            "customer_count": customers,
            "spend_cents": spent,
        },
    )


def _customer_days_of(created: Array, user: Array) -> Frame:
    """``customer_days``' rows: per day and the customer's previous day with a recognized
    order (``NO_EARLIER_DAY`` for a first), how many customers ordered that day."""
    pairs = np.unique((user << _DAY_BITS) | (created // DAY_S))  # by customer, then day
    customer = pairs >> _DAY_BITS
    day = pairs & ((1 << _DAY_BITS) - 1)
    prev = np.full(len(day), NO_EARLIER_DAY, dtype=np.int64)
    prev[1:] = day[:-1]
    prev[1:][customer[1:] != customer[:-1]] = NO_EARLIER_DAY
    keys, (count,) = group_sums((day << _DAY_BITS) | (prev + 1), np.ones_like(day))
    return Frame(
        "customer_days",
        {
            "day_index": keys >> _DAY_BITS,
            "prev_day_index": (keys & ((1 << _DAY_BITS) - 1)) - 1,
            "customer_count": count,
        },
    )


def _on_days(days: Array, keys: Array, values: Array) -> Array:
    """``values`` (keyed by ``keys``, a subset of ``days``) spread over ``days``, 0 elsewhere."""
    out = np.zeros(len(days), dtype=np.int64)
    out[np.searchsorted(days, keys)] = values
    return out


def load_rollups(session: BulkSession, collector: RollupCollector) -> None:
    """Replace every rollup's rows with the collector's, in one transaction of the bulk
    session (the change log is emptied too). On an error none of the new rows stays."""
    frames = collector.frames()
    started = perf_counter()
    with session.conn.begin():
        for table in ROLLUP_TABLES:
            session.conn.execute(delete(table))
        for frame in frames:
            if len(frame):
                write_frame(session.conn, frame)
    collector.seconds += perf_counter() - started
