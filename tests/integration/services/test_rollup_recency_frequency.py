"""The services keep ``customer_recency_frequency`` exact: a customer moves between RFM's
groups with every order that enters or leaves the recognized statuses, including at a
midnight's edge, where the day their recency counts from is the order's own; RFM's two
queries answer from the groups as the base tables do.

Expected rows are worked out by hand (M is 2026-01-02 00:00 UTC, the first midnight after
the users sign up).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services_support import Shop
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from shopdb.audit import run_checks
from shopdb.db.rollup_schema import customer_recency_frequency, customer_rf_deltas
from shopdb.queries import run_query
from shopdb.queries.segments import customer_segments
from shopdb.rollups.buckets import day_index
from shopdb.rollups.build import refresh
from shopdb.services import pay_order, place_order, refund_order

M = datetime(2026, 1, 2, tzinfo=UTC)
D = day_index(M)
HOUR = timedelta(hours=1)
AS_OF = ["2026-01-02", "2026-01-03", "2026-01-02T10:00:00", "2027-01-01"]
"""RFM's as_of: M itself (the midnight order's recency 0), the next midnight, a time of
day (the per-customer rollup's form), and a year later."""


def groups(engine: Engine) -> dict[tuple[int, int], tuple[int, int]]:
    """RFM's groups as readers see them: (recency-from day, orders) -> (customers,
    spend), empty groups left out."""
    out: dict[tuple[int, int], tuple[int, int]] = {}
    with engine.connect() as conn:
        for table in (customer_recency_frequency, customer_rf_deltas):
            c = table.c
            rows = select(c.recency_from_day, c.order_count, c.customer_count, c.spend_cents)
            for day, count, customers, spend in conn.execute(rows):
                was = out.get((day, count), (0, 0))
                out[(day, count)] = (was[0] + int(customers), was[1] + int(spend))
    return {key: v for key, v in out.items() if v != (0, 0)}


def assert_clean_and_answered(engine: Engine) -> None:
    checks = run_checks(engine, ["rollup_customer_recency_frequency"])
    assert [r.name for r in checks if not r.passed] == []
    for as_of in AS_OF:
        rollup = run_query(engine, "rfm_segments", source="rollup", as_of=as_of)
        assert rollup == run_query(engine, "rfm_segments", source="base", as_of=as_of), as_of


def test_groups_follow_the_last_order_and_the_count(shop: Shop) -> None:
    e = shop.engine
    lamp = {shop.lamp: 1}
    midnight = place_order(e, shop.user, lamp, now=M)
    ten = place_order(e, shop.user, lamp, now=M + 10 * HOUR)
    eleven = place_order(e, shop.user, lamp, now=M + 11 * HOUR)
    other = place_order(e, shop.other_user, {shop.mug: 1}, now=M + 30 * HOUR)
    paid_at = M + 48 * HOUR

    pay_order(e, midnight, 1000, "card", now=paid_at)  # a midnight: counted from its day
    assert groups(e) == {(D, 1): (1, 1000)}
    assert_clean_and_answered(e)
    pay_order(e, ten, 1000, "card", now=paid_at)  # later that day: from the next
    assert groups(e) == {(D + 1, 2): (1, 2000)}
    pay_order(e, eleven, 1000, "card", now=paid_at)  # the same day, the fast path
    pay_order(e, other, 250, "card", now=paid_at)
    assert groups(e) == {(D + 1, 3): (1, 3000), (D + 2, 1): (1, 250)}
    assert_clean_and_answered(e)

    refund_order(e, ten, now=paid_at + HOUR)  # between the first and last: the fast path
    assert groups(e) == {(D + 1, 2): (1, 2000), (D + 2, 1): (1, 250)}
    assert refresh(e) > 0
    with e.connect() as conn:
        assert conn.execute(select(func.count()).select_from(customer_rf_deltas)).scalar() == 0
    assert_clean_and_answered(e)
    refund_order(e, eleven, now=paid_at + HOUR)  # the last leaves: back to midnight's day
    assert groups(e) == {(D, 1): (1, 1000), (D + 2, 1): (1, 250)}
    assert_clean_and_answered(e)
    segments = customer_segments(e, [shop.user, shop.other_user])
    assert sorted(segments) == [shop.user, shop.other_user]
    refund_order(e, midnight, now=paid_at + HOUR)  # no recognized order left: no group
    assert groups(e) == {(D + 2, 1): (1, 250)}
    assert_clean_and_answered(e)
    assert list(customer_segments(e, [shop.user, shop.other_user])) == [shop.other_user]


def test_a_second_order_on_the_same_day_appends_two_rows_in_one_insert(shop: Shop) -> None:
    e = shop.engine
    first = place_order(e, shop.user, {shop.lamp: 1}, now=M + HOUR)
    second = place_order(e, shop.user, {shop.mug: 1}, now=M + 3 * HOUR)
    pay_order(e, first, 1000, "card", now=M + 24 * HOUR)
    with e.connect() as conn:
        appended = conn.execute(select(func.count()).select_from(customer_rf_deltas)).scalar()
    pay_order(e, second, 250, "card", now=M + 24 * HOUR)
    with e.connect() as conn:
        after = conn.execute(select(func.count()).select_from(customer_rf_deltas)).scalar()
    assert (appended, after) == (1, 3)
    assert groups(e) == {(D + 1, 2): (1, 1250)}
    assert_clean_and_answered(e)
