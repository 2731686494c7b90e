"""The services keep ``customer_cohorts`` exact: a customer's first day moves when an
earlier order is paid or the first one leaves, and a month comes and goes with its
only order; the cohort heat map's rollup form answers as the base tables do.

Expected rows are worked out by hand (T0 is 2026-01-01 12:00 UTC).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services_support import T0, Shop
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from shopdb.audit import run_checks
from shopdb.db.rollup_schema import customer_cohort_deltas, customer_cohorts
from shopdb.queries import run_query
from shopdb.rollups.buckets import day_index
from shopdb.rollups.build import refresh
from shopdb.services import cancel_order, pay_order, place_order, refund_order

DAY = timedelta(days=1)
JAN, FEB, MAR, APR = (2026 * 12 + m for m in range(4))
"""``month_index`` of January to April 2026 (``year * 12 + month - 1``)."""


def cohorts(engine: Engine) -> dict[tuple[int, int, int], int]:
    """customer_cohorts as readers see it: (first day, month, cohort month) -> customers,
    zeros left out."""
    out: dict[tuple[int, int, int], int] = {}
    with engine.connect() as conn:
        for table in (customer_cohorts, customer_cohort_deltas):
            c = table.c
            rows = select(c.first_day_index, c.month_index, c.cohort_index, c.customer_count)
            for first, month, cohort, count in conn.execute(rows):
                key = (first, month, cohort)
                out[key] = out.get(key, 0) + int(count)
    return {key: n for key, n in out.items() if n != 0}


def assert_clean_and_answered(engine: Engine) -> None:
    failed = [r.name for r in run_checks(engine, ["rollup_customer_cohorts"]) if not r.passed]
    assert failed == []
    ranges = [
        {},
        {"since": "2026-01-01", "until": "2026-04-01"},
        {"since": "2026-01-02", "until": "2026-04-15"},  # until's month in part
        {"since": "2026-03-12", "until": "2026-05-01"},
    ]
    for rng in ranges:
        rollup = run_query(engine, "cohort_retention", source="rollup", **rng)
        assert rollup == run_query(engine, "cohort_retention", source="base", **rng), rng


def test_cohorts_follow_the_first_day_and_the_months_with_orders(shop: Shop) -> None:
    e = shop.engine
    lamp = {shop.lamp: 1}
    a = place_order(e, shop.user, lamp, now=T0)  # January
    mid = place_order(e, shop.user, lamp, now=T0 + 35 * DAY)  # February
    b = place_order(e, shop.user, lamp, now=T0 + 70 * DAY)  # March
    twin = place_order(e, shop.user, lamp, now=T0 + 70 * DAY + timedelta(hours=2))
    c = place_order(e, shop.user, lamp, now=T0 + 110 * DAY)  # April
    da, db, dc = day_index(T0), day_index(T0 + 70 * DAY), day_index(T0 + 110 * DAY)
    paid_at = T0 + 120 * DAY

    pay_order(e, b, 1000, "card", now=paid_at)  # the first payment: a new cohort
    assert cohorts(e) == {(db, MAR, MAR): 1}
    pay_order(e, c, 1000, "card", now=paid_at)  # a month after the last
    assert cohorts(e) == {(db, MAR, MAR): 1, (db, APR, MAR): 1}
    pay_order(e, a, 1000, "card", now=paid_at)  # an earlier first day: every month moves
    assert cohorts(e) == {(da, JAN, JAN): 1, (da, MAR, JAN): 1, (da, APR, JAN): 1}
    pay_order(e, mid, 1000, "card", now=paid_at)  # a month between the first and last
    pay_order(e, twin, 1000, "card", now=paid_at)  # March holds an order already
    assert cohorts(e) == {
        (da, JAN, JAN): 1,
        (da, FEB, JAN): 1,
        (da, MAR, JAN): 1,
        (da, APR, JAN): 1,
    }
    assert_clean_and_answered(e)

    refund_order(e, mid, now=paid_at + DAY)  # February's only order leaves
    refund_order(e, b, now=paid_at + DAY)  # the twin still holds March
    assert cohorts(e) == {(da, JAN, JAN): 1, (da, MAR, JAN): 1, (da, APR, JAN): 1}
    refund_order(e, a, now=paid_at + DAY)  # the first day moves to the twin's
    assert cohorts(e) == {(db, MAR, MAR): 1, (db, APR, MAR): 1}
    assert refresh(e) > 0
    assert cohorts(e) == {(db, MAR, MAR): 1, (db, APR, MAR): 1}
    with e.connect() as conn:
        pending = select(func.count()).select_from(customer_cohort_deltas)
        assert conn.execute(pending).scalar_one() == 0
    assert_clean_and_answered(e)

    cancel_order(e, twin, now=paid_at + DAY)  # only April is left
    other = place_order(e, shop.other_user, lamp, now=datetime(2026, 1, 20, tzinfo=UTC))
    pay_order(e, other, 1000, "card", now=paid_at + DAY)
    assert cohorts(e) == {(dc, APR, APR): 1, (day_index(T0 + 19 * DAY), JAN, JAN): 1}
    assert_clean_and_answered(e)


def test_a_second_order_on_the_same_day_writes_no_cohort_row(shop: Shop) -> None:
    e = shop.engine
    first = place_order(e, shop.user, {shop.lamp: 1}, now=T0)
    second = place_order(e, shop.user, {shop.mug: 1}, now=T0 + timedelta(hours=3))
    pay_order(e, first, 1000, "card", now=T0 + DAY)
    with e.connect() as conn:
        before = conn.execute(select(func.count()).select_from(customer_cohort_deltas))
        appended = before.scalar_one()
    pay_order(e, second, 250, "card", now=T0 + DAY)
    with e.connect() as conn:
        after = conn.execute(select(func.count()).select_from(customer_cohort_deltas))
        assert after.scalar_one() == appended == 1
    assert cohorts(e) == {(day_index(T0), JAN, JAN): 1}
    assert_clean_and_answered(e)
