"""The services keep the funnel and payment-method rollups exact: every placing, status
change, payment attempt and refund lands on the day the order was placed (the funnel)
or the payment was made (the methods), before and after folding.

Expected figures are worked out by hand from the tiny shop (lamp 1000 cents, mug 250).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from services_support import T0, Shop
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from shopdb.audit import run_checks
from shopdb.db.rollup_schema import order_event_deltas, order_funnel_daily, payment_method_daily
from shopdb.errors import OutOfStock, PaymentMismatch
from shopdb.queries import run_query
from shopdb.rollups.buckets import day_index
from shopdb.rollups.build import refresh
from shopdb.services import (
    cancel_order,
    deliver_order,
    pay_order,
    place_order,
    refund_order,
    ship_order,
)

DAY = timedelta(days=1)
D0, D1, D2 = (day_index(T0 + n * DAY) for n in range(3))
CHECKS = ["rollup_order_funnel_daily", "rollup_payment_method_daily"]
FUNNEL = (
    "placed_count",
    "paid_count",
    "shipped_count",
    "delivered_count",
    "cancelled_count",
    "refunded_count",
    "refunded_cents",
)
METHODS = ("attempt_count", "completed_count", "failed_count", "captured_cents")


def _sum_rows(rows: list[tuple[object, ...]], width: int) -> dict[object, tuple[int, ...]]:
    out: dict[object, list[int]] = {}
    for key, *values in rows:
        sums = out.setdefault(key, [0] * width)
        for i, v in enumerate(values):
            sums[i] += int(v)
    return {k: tuple(v) for k, v in out.items() if any(v)}


def funnel(engine: Engine) -> dict[object, tuple[int, ...]]:
    """Per day as readers see it (folded rows plus unfolded deltas): ``FUNNEL``."""
    f, d = order_funnel_daily.c, order_event_deltas.c
    with engine.connect() as conn:
        rows = list(conn.execute(select(f.day_index, *(f[m] for m in FUNNEL))).all())
        rows += conn.execute(
            select(d.day_index, *(d[m] for m in FUNNEL)).where(d.method.is_(None))
        ).all()
    return _sum_rows([tuple(r) for r in rows], len(FUNNEL))


def methods(engine: Engine) -> dict[object, tuple[int, ...]]:
    """Per (day, method) as readers see it: ``METHODS`` and refunded payments last."""
    p, d = payment_method_daily.c, order_event_deltas.c
    with engine.connect() as conn:
        rows = [
            ((day, m), *rest)
            for day, m, *rest in conn.execute(
                select(p.day_index, p.method, *(p[c] for c in METHODS), p.refunded_count)
            )
        ]
        rows += [
            ((day, m), *rest)
            for day, m, *rest in conn.execute(
                select(
                    d.day_index, d.method, *(d[c] for c in METHODS), d.payment_refunded_count
                ).where(d.method.is_not(None))
            )
        ]
    return _sum_rows(rows, len(METHODS) + 1)


def deltas(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(order_event_deltas)).scalar_one())


def assert_clean(engine: Engine) -> None:
    assert [r.name for r in run_checks(engine, CHECKS) if not r.passed] == []


def test_every_stage_and_payment_lands_on_its_day_before_and_after_folding(shop: Shop) -> None:
    e = shop.engine
    a = place_order(e, shop.user, {shop.lamp: 2}, now=T0)  # 2000, day 0
    d = place_order(e, shop.other_user, {shop.mug: 1}, now=T0 + timedelta(hours=1))  # day 0
    b = place_order(e, shop.user, {shop.mug: 1}, now=T0 + DAY)  # 250, day 1
    c = place_order(e, shop.other_user, {shop.lamp: 1}, now=T0 + DAY)  # 1000, day 1
    pay_order(e, a, 2000, "paypal", approved=False, now=T0 + DAY)  # a failed attempt, day 1
    pay_order(e, a, 2000, "card", now=T0 + 2 * DAY)
    pay_order(e, b, 250, "card", now=T0 + 2 * DAY)
    pay_order(e, c, 1000, "gift_card", now=T0 + 2 * DAY)
    ship_order(e, a, now=T0 + 3 * DAY)
    deliver_order(e, a, now=T0 + 4 * DAY)
    refund_order(e, a, now=T0 + 5 * DAY)  # keeps paid, shipped and delivered
    cancel_order(e, c, now=T0 + 3 * DAY)  # paid first: still counts as paid
    cancel_order(e, d, now=T0 + 3 * DAY)  # never paid

    expected_funnel = {D0: (2, 1, 1, 1, 1, 1, 2000), D1: (2, 2, 0, 0, 1, 0, 0)}
    expected_methods = {
        (D1, "paypal"): (1, 0, 1, 0, 0),
        (D2, "card"): (2, 1, 0, 2250, 1),  # a refunded, b still completed
        (D2, "gift_card"): (1, 0, 0, 1000, 1),  # refunded by the cancellation
    }
    assert funnel(e) == expected_funnel
    assert methods(e) == expected_methods
    assert_clean(e)
    assert refresh(e) > 0
    assert deltas(e) == 0
    assert funnel(e) == expected_funnel
    assert methods(e) == expected_methods
    assert_clean(e)
    stages = run_query(e, "order_status_funnel", since=T0 - timedelta(hours=12), until=T0 + 9 * DAY)
    assert [row[2] for row in stages.rows] == [4, 3, 1, 1, 2, 1]


def test_a_refused_order_or_payment_appends_nothing(shop: Shop) -> None:
    e = shop.engine
    order = place_order(e, shop.user, {shop.lamp: 1}, now=T0)
    before = deltas(e)
    with pytest.raises(OutOfStock):
        place_order(e, shop.user, {shop.lamp: 1, shop.mug: 3}, now=T0)
    with pytest.raises(PaymentMismatch):
        pay_order(e, order, 999, "card", now=T0 + DAY)

    assert deltas(e) == before == 1  # the one order placed
    assert funnel(e) == {D0: (1, 0, 0, 0, 0, 0, 0)}
    assert methods(e) == {}
    assert_clean(e)
