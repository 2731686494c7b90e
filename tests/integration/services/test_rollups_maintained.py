"""The services keep the rollups exact: payments, cancellations and refunds of orders
placed on earlier days change those days' rows, before and after folding.

Expected figures are worked out by hand from the tiny shop (lamp 1000 cents, mug 250).
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from services_support import T0, Shop
from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Engine

from shopdb.audit import run_checks
from shopdb.db.rollup_schema import (
    category_sales_daily,
    customer_day_deltas,
    customer_days,
    customer_sales,
    product_pairs,
    product_sales_daily,
    rollup_deltas,
    sales_daily,
)
from shopdb.db.schema import order_items, orders
from shopdb.errors import PaymentMismatch
from shopdb.queries import run_query
from shopdb.rollups.buckets import day_index
from shopdb.rollups.build import rebuild_all, refresh
from shopdb.rollups.maintain import MAINTAIN_OPTION
from shopdb.services import (
    cancel_order,
    create_category,
    pay_order,
    place_order,
    refund_order,
    restock,
)
from shopdb.services._status import move_order
from shopdb.services.records import get_product, product_version, update_product

DAY = timedelta(days=1)
D0, D1 = day_index(T0), day_index(T0 + DAY)
ROLLUP_CHECKS = [
    "rollup_sales_daily",
    "rollup_product_sales_daily",
    "rollup_product_sales_monthly",
    "rollup_product_sales_yearly",
    "rollup_product_sales_total",
    "rollup_category_sales_daily",
    "rollup_category_sales_monthly",
    "rollup_category_sales_yearly",
    "rollup_customer_sales",
    "rollup_customer_days",
    "rollup_product_pairs",
    "rollup_customer_cohorts",
    "rollup_customer_recency_frequency",
    "rollup_order_funnel_daily",
    "rollup_payment_method_daily",
    "rollup_country_sales_daily",
    "rollup_customer_country_days",
    "rollup_customer_first_two_days",
    "rollup_customer_first_day_totals",
]


def daily(engine: Engine) -> dict[int, tuple[int, int, int, int, int]]:
    """Per day as readers see it (folded rows plus unfolded deltas): orders, revenue,
    units, new customers and their first orders' revenue; days that sum to nothing left
    out."""
    out: dict[int, list[int]] = {}
    with engine.connect() as conn:
        for day, *values in conn.execute(
            select(
                sales_daily.c.day_index,
                sales_daily.c.order_count,
                sales_daily.c.revenue_cents,
                sales_daily.c.units,
                sales_daily.c.new_customer_count,
                sales_daily.c.new_revenue_cents,
            )
        ):
            out.setdefault(day, [0, 0, 0, 0, 0])
            for i, v in enumerate(values):
                out[day][i] += int(v)
        for day, product, orders, revenue, units, new, new_revenue in conn.execute(
            select(
                rollup_deltas.c.day_index,
                rollup_deltas.c.product_id,
                rollup_deltas.c.order_count,
                rollup_deltas.c.revenue_cents,
                rollup_deltas.c.units,
                rollup_deltas.c.new_customer_count,
                rollup_deltas.c.new_revenue_cents,
            )
        ):
            row = out.setdefault(day, [0, 0, 0, 0, 0])
            if product is None:
                row[0] += int(orders)
                row[1] += int(revenue)
                row[3] += int(new)
                row[4] += int(new_revenue)
            else:
                row[2] += int(units)
    return {d: (o, r, u, n, c) for d, (o, r, u, n, c) in out.items() if any((o, r, u, n, c))}


def customer(engine: Engine, user_id: int) -> tuple[int, int, object, object] | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(
                customer_sales.c.order_count,
                customer_sales.c.spend_cents,
                customer_sales.c.first_order_at,
                customer_sales.c.last_order_at,
            ).where(customer_sales.c.user_id == user_id)
        ).one_or_none()
    return None if row is None else (int(row[0]), int(row[1]), row[2], row[3])


def assert_rollups_clean(engine: Engine) -> None:
    failed = [r.name for r in run_checks(engine, ROLLUP_CHECKS) if not r.passed]
    assert failed == []


def test_payment_cancel_and_refund_change_the_days_the_orders_were_placed(shop: Shop) -> None:
    e = shop.engine
    a = place_order(e, shop.user, {shop.lamp: 2}, now=T0)  # 2000, day 0
    b = place_order(e, shop.user, {shop.mug: 1}, now=T0 + DAY)  # 250, day 1
    c = place_order(e, shop.other_user, {shop.lamp: 1}, now=T0 + DAY + timedelta(hours=1))
    assert daily(e) == {}  # pending orders are not revenue
    for order, total in ((a, 2000), (b, 250), (c, 1000)):
        pay_order(e, order, total, "card", now=T0 + 2 * DAY)

    # ann's first order is a (2000), bob's c (1000)
    assert daily(e) == {D0: (1, 2000, 2, 1, 2000), D1: (2, 1250, 2, 1, 1000)}
    assert customer(e, shop.user) == (2, 2250, T0, T0 + DAY)
    assert_rollups_clean(e)

    refund_order(e, a, now=T0 + 3 * DAY)  # the ann's first order goes: b is her first now
    assert daily(e) == {D1: (2, 1250, 2, 2, 1250)}
    assert customer(e, shop.user) == (1, 250, T0 + DAY, T0 + DAY)
    assert refresh(e) > 0
    assert daily(e) == {D1: (2, 1250, 2, 2, 1250)}

    cancel_order(e, c, now=T0 + 3 * DAY)  # paid, so cancelling takes it out again
    assert daily(e) == {D1: (1, 250, 1, 1, 250)}
    assert customer(e, shop.other_user) == (0, 0, None, None)
    assert_rollups_clean(e)
    refresh(e)
    assert daily(e) == {D1: (1, 250, 1, 1, 250)}
    with e.connect() as conn:
        assert conn.execute(select(func.count()).select_from(rollup_deltas)).scalar_one() == 0
    assert_rollups_clean(e)


def product_units(engine: Engine) -> dict[tuple[int, int], tuple[int, int]]:
    """(day, product) -> (units of recognized orders, units of refunded orders), folded
    plus pending, the all-zero keys left out."""
    with engine.connect() as conn:
        rows = list(
            conn.execute(
                select(
                    product_sales_daily.c.day_index,
                    product_sales_daily.c.product_id,
                    product_sales_daily.c.units,
                    product_sales_daily.c.refunded_units,
                )
            )
        )
        rows += conn.execute(
            select(
                rollup_deltas.c.day_index,
                rollup_deltas.c.product_id,
                rollup_deltas.c.units,
                rollup_deltas.c.refunded_units,
            ).where(rollup_deltas.c.product_id.is_not(None))
        )
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for day, product, units, refunded in rows:
        was = out.get((day, product), (0, 0))
        out[(day, product)] = (was[0] + units, was[1] + refunded)
    return {k: v for k, v in out.items() if v != (0, 0)}


def test_the_first_order_is_the_earliest_recognized_one_ties_by_id(shop: Shop) -> None:
    """New customers' revenue follows which order is a customer's first: an earlier
    order of the same day paid after a later one, and two orders placed at the same
    instant (the lower id is first), paid and refunded in either order."""
    e = shop.engine
    restock(e, shop.lamp, 10, now=T0)
    early = T0 + timedelta(minutes=1)  # all three on T0's day
    late = place_order(e, shop.user, {shop.lamp: 3}, now=early + timedelta(minutes=5))  # 3000
    low = place_order(e, shop.user, {shop.lamp: 1}, now=early)  # 1000
    high = place_order(e, shop.user, {shop.lamp: 2}, now=early)  # 2000, same instant
    assert low < high
    pay_order(e, late, 3000, "card", now=T0 + DAY)
    assert daily(e) == {D0: (1, 3000, 3, 1, 3000)}
    pay_order(e, high, 2000, "card", now=T0 + DAY)  # earlier than late: first now
    assert daily(e) == {D0: (2, 5000, 5, 1, 2000)}
    pay_order(e, low, 1000, "card", now=T0 + DAY)  # same instant, lower id: first now
    assert daily(e) == {D0: (3, 6000, 6, 1, 1000)}
    assert_rollups_clean(e)
    refund_order(e, high, now=T0 + 2 * DAY)  # not the first: low stays
    assert daily(e) == {D0: (2, 4000, 4, 1, 1000)}
    refund_order(e, low, now=T0 + 2 * DAY)  # the first leaves: late is first again
    assert daily(e) == {D0: (1, 3000, 3, 1, 3000)}
    assert_rollups_clean(e)
    refresh(e)
    assert daily(e) == {D0: (1, 3000, 3, 1, 3000)}
    assert_rollups_clean(e)


def test_a_refund_keeps_the_units_as_refunded_and_a_cancellation_does_not(shop: Shop) -> None:
    e = shop.engine
    a = place_order(e, shop.user, {shop.lamp: 2, shop.mug: 1}, now=T0)  # 2250
    b = place_order(e, shop.other_user, {shop.lamp: 3}, now=T0)  # 3000
    pay_order(e, a, 2250, "card", now=T0 + DAY)
    pay_order(e, b, 3000, "card", now=T0 + DAY)
    assert product_units(e) == {(D0, shop.lamp): (5, 0), (D0, shop.mug): (1, 0)}

    refund_order(e, a, now=T0 + 2 * DAY)
    cancel_order(e, b, now=T0 + 2 * DAY)  # paid, then cancelled: its units are gone
    assert product_units(e) == {(D0, shop.lamp): (0, 2), (D0, shop.mug): (0, 1)}
    assert_rollups_clean(e)
    assert refresh(e) > 0
    assert product_units(e) == {(D0, shop.lamp): (0, 2), (D0, shop.mug): (0, 1)}
    assert_rollups_clean(e)


def test_a_declined_or_refused_payment_leaves_the_rollups_alone(shop: Shop) -> None:
    e = shop.engine
    order = place_order(e, shop.user, {shop.lamp: 1}, now=T0)
    pay_order(e, order, 1000, "card", approved=False, now=T0 + DAY)
    with pytest.raises(PaymentMismatch):
        pay_order(e, order, 999, "card", now=T0 + DAY)

    assert daily(e) == {}
    assert customer(e, shop.user) in (None, (0, 0, None, None))
    assert_rollups_clean(e)


def test_without_maintenance_the_rollups_go_stale_until_rebuilt(shop: Shop) -> None:
    e = shop.engine
    order = place_order(e, shop.user, {shop.lamp: 1, shop.mug: 1}, now=T0)
    pay_order(e.execution_options(**{MAINTAIN_OPTION: False}), order, 1250, "card", now=T0)

    assert daily(e) == {}
    failed = {r.name for r in run_checks(e, ROLLUP_CHECKS) if not r.passed}
    assert failed == set(ROLLUP_CHECKS)

    rebuild_all(e)
    assert daily(e) == {D0: (1, 1250, 2, 1, 1250)}
    assert_rollups_clean(e)


def links(engine: Engine) -> dict[tuple[int, int], int]:
    """customer_days as readers see it: (day, previous day) -> customers, zeros left out."""
    out: dict[tuple[int, int], int] = {}
    with engine.connect() as conn:
        for table in (customer_days, customer_day_deltas):
            c = table.c
            for day, prev, count in conn.execute(
                select(c.day_index, c.prev_day_index, c.customer_count)
            ):
                out[(day, prev)] = out.get((day, prev), 0) + int(count)
    return {key: n for key, n in out.items() if n != 0}


def test_customer_days_relink_when_a_day_between_two_comes_and_goes(shop: Shop) -> None:
    e = shop.engine
    d2 = D0 + 2
    a = place_order(e, shop.user, {shop.lamp: 1}, now=T0)  # day 0
    b = place_order(e, shop.user, {shop.lamp: 1}, now=T0 + DAY)  # day 1
    c = place_order(e, shop.user, {shop.lamp: 1}, now=T0 + 2 * DAY)  # day 2
    twin = place_order(e, shop.user, {shop.lamp: 1}, now=T0 + DAY + timedelta(hours=2))
    for order in (a, c):
        pay_order(e, order, 1000, "card", now=T0 + 3 * DAY)
    assert links(e) == {(D0, -1): 1, (d2, D0): 1}

    pay_order(e, b, 1000, "card", now=T0 + 3 * DAY)  # day 1 comes between days 0 and 2
    assert links(e) == {(D0, -1): 1, (D1, D0): 1, (d2, D1): 1}
    pay_order(e, twin, 1000, "card", now=T0 + 3 * DAY)  # a second order on day 1: no change
    assert links(e) == {(D0, -1): 1, (D1, D0): 1, (d2, D1): 1}
    assert_rollups_clean(e)

    refund_order(e, b, now=T0 + 4 * DAY)  # the twin still holds day 1
    assert links(e) == {(D0, -1): 1, (D1, D0): 1, (d2, D1): 1}
    refund_order(e, a, now=T0 + 4 * DAY)  # day 1 is the first day now
    assert links(e) == {(D1, -1): 1, (d2, D1): 1}
    assert refresh(e) > 0
    assert links(e) == {(D1, -1): 1, (d2, D1): 1}
    with e.connect() as conn:
        pending = select(func.count()).select_from(customer_day_deltas)
        assert conn.execute(pending).scalar_one() == 0
    cancel_order(e, twin, now=T0 + 4 * DAY)  # only day 2 is left
    assert links(e) == {(d2, -1): 1}
    assert_rollups_clean(e)


def pairs(engine: Engine) -> dict[tuple[int, int], int]:
    """product_pairs as readers see it: (product, product) -> orders, zeros left out;
    the unfolded orders' pairs (their rows in rollup_deltas) worked out here."""
    out: dict[tuple[int, int], int] = {}
    with engine.connect() as conn:
        c = product_pairs.c
        for a, b, count in conn.execute(select(c.product_a_id, c.product_b_id, c.pair_orders)):
            out[(a, b)] = out.get((a, b), 0) + int(count)
        named = rollup_deltas.c.order_id.is_not(None)
        for order_id, sign in conn.execute(
            select(rollup_deltas.c.order_id, rollup_deltas.c.order_count).where(named)
        ):
            products = sorted(
                conn.execute(
                    select(order_items.c.product_id).where(order_items.c.order_id == order_id)
                ).scalars()
            )
            for i, a in enumerate(products):
                for b in products[i + 1 :]:
                    out[(a, b)] = out.get((a, b), 0) + int(sign)
    return {key: n for key, n in out.items() if n != 0}


def assert_pairs_answer_as_base(engine: Engine) -> None:
    params = {"min_orders": 1}
    rollup = run_query(engine, "frequently_bought_together", source="rollup", **params)
    assert rollup == run_query(engine, "frequently_bought_together", source="base", **params)


def test_pairs_follow_payments_refunds_and_cancellations_of_earlier_orders(shop: Shop) -> None:
    e = shop.engine
    both = {shop.lamp: 1, shop.mug: 1}
    pair = (min(shop.lamp, shop.mug), max(shop.lamp, shop.mug))
    a = place_order(e, shop.user, both, now=T0)
    b = place_order(e, shop.other_user, both, now=T0 + DAY)
    alone = place_order(e, shop.user, {shop.lamp: 1}, now=T0 + DAY)
    assert pairs(e) == {}  # pending orders hold no pairs yet
    for order, total in ((a, 1250), (b, 1250), (alone, 1000)):
        pay_order(e, order, total, "card", now=T0 + 2 * DAY)

    assert pairs(e) == {pair: 2}  # an order of one item holds no pair
    assert_pairs_answer_as_base(e)
    assert_rollups_clean(e)

    assert refresh(e) > 0
    with e.connect() as conn:
        named = rollup_deltas.c.order_id.is_not(None)
        assert conn.execute(select(func.count()).where(named)).scalar_one() == 0
    refund_order(e, a, now=T0 + 3 * DAY)  # pending again in the log: 2 folded, -1 waiting
    assert pairs(e) == {pair: 1}
    rows = run_query(e, "frequently_bought_together", source="rollup", min_orders=1).rows
    assert [(r[0], r[2], r[4]) for r in rows] == [(*pair, 1)]
    assert_pairs_answer_as_base(e)

    cancel_order(e, b, now=T0 + 3 * DAY)
    assert pairs(e) == {}
    assert run_query(e, "frequently_bought_together", source="rollup", min_orders=1).rows == []
    refresh(e)
    assert_pairs_answer_as_base(e)
    assert_rollups_clean(e)


def category_days(engine: Engine) -> dict[tuple[int, int], tuple[int, int, int]]:
    """The folded category_sales_daily rows: (category, day) -> orders, units, revenue."""
    c = category_sales_daily.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(c.category_id, c.day_index, c.order_count, c.units, c.revenue_cents)
        ).all()
    return {(k, d): (o, u, r) for k, d, o, u, r in rows if (o, u, r) != (0, 0, 0)}


def category_revenue(engine: Engine, source: str) -> dict[int, int]:
    result = run_query(engine, "revenue_by_category", source=source)
    return {row["category_id"]: row["revenue_cents"] for row in result.as_dicts()}


def test_a_product_moving_category_takes_its_sales_along(shop: Shop) -> None:
    """The lamp sold on two days, the first folded and the second not, then moved to a
    new category: its folded days leave the old category in the move's transaction, its
    unfolded ones count in the new category when read and when folded."""
    e = shop.engine
    first = place_order(e, shop.user, {shop.lamp: 2, shop.mug: 1}, now=T0)
    pay_order(e, first, 2250, "card", now=T0)
    refresh(e)
    home = get_product(e, shop.mug)["category_id"]
    assert category_days(e) == {(home, D0): (2, 3, 2250)}
    second = place_order(e, shop.other_user, {shop.lamp: 1}, now=T0 + DAY)
    pay_order(e, second, 1000, "card", now=T0 + DAY)
    garden = create_category(e, "Garden")

    lamp = get_product(e, shop.lamp)
    update_product(e, shop.lamp, product_version(lamp), {"category_id": garden})

    assert category_days(e) == {(home, D0): (1, 1, 250), (garden, D0): (1, 2, 2000)}
    expected = {home: 250, garden: 3000}
    assert category_revenue(e, "rollup") == category_revenue(e, "base") == expected
    assert_rollups_clean(e)
    refresh(e)
    assert category_days(e) == {
        (home, D0): (1, 1, 250),
        (garden, D0): (1, 2, 2000),
        (garden, D1): (1, 1, 1000),
    }
    assert category_revenue(e, "rollup") == expected
    assert_rollups_clean(e)
    # a change that keeps the category moves nothing
    update_product(e, shop.lamp, product_version(get_product(e, shop.lamp)), {"price_cents": 900})
    assert category_revenue(e, "rollup") == expected
    assert_rollups_clean(e)


def test_random_payments_refunds_and_cancellations_keep_every_rollup_exact(shop: Shop) -> None:
    """Orders of two customers on five days, some at the same instant, paid, refunded
    and cancelled in a random order: every path of ``rollups.customers`` (one statement,
    the row alone, the orders read) must leave the rollups equal to the base tables."""
    e = shop.engine
    rng = random.Random(7)
    restock(e, shop.lamp, 100, now=T0)
    placed = []
    for _ in range(14):
        user = rng.choice((shop.user, shop.other_user))
        at = T0 + timedelta(days=rng.randrange(5), hours=rng.randrange(3))
        # totals differ, so the first order's revenue tells which order is first
        quantity = rng.randrange(1, 4)
        placed.append((place_order(e, user, {shop.lamp: quantity}, now=at), 1000 * quantity))
    rng.shuffle(placed)
    done = T0 + 6 * DAY
    for order, total in placed:
        pay_order(e, order, total, "card", now=done)
    assert_rollups_clean(e)
    for order, _ in placed[:9]:
        (refund_order if rng.random() < 0.5 else cancel_order)(e, order, now=done)
    assert_rollups_clean(e)
    refresh(e)
    assert_rollups_clean(e)


def test_paying_the_newest_order_leaves_the_next_checkouts_items_free(
    shop: Shop, backend: str
) -> None:
    """A payment's maintenance reads the order's items; on MariaDB a locking read of them
    (a join under FOR UPDATE, or INSERT ... SELECT) would hold the index gap after the
    newest order's items until the payment commits, where the next checkout inserts its
    items. With the payment still open, another session inserts the items of an order
    placed after the paid one within a one-second lock timeout."""
    if backend == "sqlite":
        pytest.skip("SQLite writers queue at BEGIN IMMEDIATE: no two interleave")
    e = shop.engine
    paid = place_order(e, shop.user, {shop.lamp: 1, shop.mug: 1}, now=T0)
    with e.begin() as conn:  # the next checkout's order row, its items still to come
        later = conn.execute(
            insert(orders).values(
                user_id=shop.other_user,
                status="pending",
                created_at=T0 + DAY,
                updated_at=T0 + DAY,
                total_cents=1000,
            )
        ).inserted_primary_key[0]
    timeout = {
        "mysql": "SET SESSION innodb_lock_wait_timeout = 1",
        "postgresql": "SET LOCAL lock_timeout = '1s'",
    }
    with e.begin() as paying, e.connect() as other:
        move_order(paying, paid, "paid", T0 + DAY)
        other.exec_driver_sql(timeout[backend])
        other.execute(
            insert(order_items).values(
                order_id=later, product_id=shop.lamp, quantity=1, unit_price_cents=1000
            )
        )
        other.rollback()
    with e.begin() as conn:
        conn.execute(delete(orders).where(orders.c.order_id == later))
    # the payment committed with the items read in its locking read: the rollups agree
    assert daily(e)[D0] == (1, 1250, 2, 1, 1250)
    assert_rollups_clean(e)
