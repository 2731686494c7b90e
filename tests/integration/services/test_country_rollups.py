"""The rollups folded from the orders the change log names (``country_sales_daily``,
``customer_country_days``, ``customer_first_two_days``, ``customer_first_day_totals``)
follow payments, cancellations and refunds of orders shipped to several countries by the
same customers, with some of the change log folded and some not: ``revenue_by_country``,
``repeat_purchase_rate`` and ``customer_lifetime_value`` from the rollups equal the base
tables after every step, and the audit is clean."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from services_support import T0, Shop, create_shop
from sqlalchemy import update
from sqlalchemy.engine import Engine

from shopdb.audit import run_checks
from shopdb.db import migrate
from shopdb.db.schema import users
from shopdb.queries import run_query
from shopdb.rollups import fold
from shopdb.rollups.build import refresh
from shopdb.services import cancel_order, pay_order, place_order, refund_order, restock

DAY = timedelta(days=1)
CHECKS = [
    "rollup_country_sales_daily",
    "rollup_customer_country_days",
    "rollup_customer_first_two_days",
    "rollup_customer_first_day_totals",
]
MIDNIGHT = T0.replace(hour=0)
RANGES = [
    {},  # all history: the terminal rows' way
    {"since": MIDNIGHT, "until": MIDNIGHT + 3 * DAY},
    {"since": MIDNIGHT + DAY, "until": MIDNIGHT + 5 * DAY},
    {"since": MIDNIGHT + 2 * DAY, "until": MIDNIGHT + 3 * DAY},
    # ending after today: the terminal rows less the days from until on
    {"since": MIDNIGHT + 2 * DAY, "until": "2999-01-01"},
]


# lifetime value answers ranges that cut days too: from its first day's orders on, and
# up to a time inside its last one (the orders are placed from T0 to T0 + 5 days + 2 h)
CUT_RANGES = [
    {"since": T0 + timedelta(minutes=30), "until": T0 + 3 * DAY + timedelta(hours=1)},
    {"since": T0 + DAY + timedelta(hours=1), "until": T0 + DAY + timedelta(hours=2)},
    {"since": MIDNIGHT, "until": T0 + 4 * DAY},
]


def assert_as_base(engine: Engine) -> None:
    for rng in RANGES:
        for name in ("revenue_by_country", "repeat_purchase_rate", "customer_lifetime_value"):
            rollup = run_query(engine, name, source="rollup", **rng)
            assert rollup == run_query(engine, name, source="base", **rng), (name, rng)
    for rng in CUT_RANGES:
        rollup = run_query(engine, "customer_lifetime_value", source="rollup", **rng)
        base = run_query(engine, "customer_lifetime_value", source="base", **rng)
        assert rollup == base, rng
    failed = [r.name for r in run_checks(engine, CHECKS) if not r.passed]
    assert failed == []


def _move(engine: Engine, user: int, country: str | None) -> None:
    """The customer moves: their later orders ship to ``country``."""
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.user_id == user).values(country_code=country))


def test_orders_of_customers_shipping_to_several_countries(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    e = shop.engine
    rng = random.Random(12)
    restock(e, shop.lamp, 100, now=T0)
    placed = []
    for _ in range(16):
        user = rng.choice((shop.user, shop.other_user))
        _move(e, user, rng.choice(("FR", "DE", None)))
        at = T0 + timedelta(days=rng.randrange(6), hours=rng.randrange(3))
        placed.append(place_order(e, user, {shop.lamp: 1}, now=at))
    rng.shuffle(placed)
    # each refresh folds one batch of three rows: the rest stays pending for the readers
    monkeypatch.setattr(fold, "FOLD_BATCH", 3)
    done = T0 + 7 * DAY
    for step, order in enumerate(placed):
        pay_order(e, order, 1000, "card", now=done)
        if step % 3 == 0:
            refresh(e)
            assert_as_base(e)
    assert_as_base(e)
    for step, order in enumerate(placed[:10]):
        (refund_order if rng.random() < 0.5 else cancel_order)(e, order, now=done)
        if step % 4 == 1:
            refresh(e)
            assert_as_base(e)
    assert_as_base(e)
    monkeypatch.undo()
    refresh(e)
    assert_as_base(e)
    # the shop had customers in more than one country, some with orders on several days
    by_country = run_query(e, "revenue_by_country", source="rollup").rows
    assert len(by_country) >= 2
    assert any(row[2] < row[1] for row in by_country)


def test_migration_0016_leaves_the_unfolded_orders_to_the_readers(empty_engine: Engine) -> None:
    # a shop at 0015 whose change log holds payments, a refund and a cancellation of
    # orders shipped to two countries: 0016 builds the rollups from the orders, which
    # already count those changes, so the unfolded rows must be taken out of them (the
    # services write the head schema's change log, so the shop goes back to 0015 after)
    migrate.upgrade(empty_engine)
    shop = create_shop(empty_engine)
    restock(empty_engine, shop.lamp, 10, now=T0)
    orders = [
        place_order(empty_engine, user, {shop.lamp: 1}, now=T0 + day * DAY)
        for user in (shop.user, shop.other_user)
        for day in (0, 2)
    ]
    for order in orders:
        pay_order(empty_engine, order, 1000, "card", now=T0 + 3 * DAY)
    refund_order(empty_engine, orders[1], now=T0 + 3 * DAY)
    cancel_order(empty_engine, orders[2], now=T0 + 3 * DAY)
    migrate.downgrade(empty_engine, "0015")

    migrate.upgrade(empty_engine)

    assert_as_base(empty_engine)
    assert refresh(empty_engine) > 0
    assert_as_base(empty_engine)
    rows = run_query(empty_engine, "revenue_by_country", source="rollup").rows
    assert [(r[0], r[1], r[2]) for r in rows] == [("FR", 1, 1), (None, 1, 1)]


def test_migration_0018_leaves_the_unfolded_orders_to_the_readers(empty_engine: Engine) -> None:
    # as for 0016: the change log holds payments, a refund and a cancellation when 0018
    # builds customer_first_day_totals from customer_sales, which counts them already
    migrate.upgrade(empty_engine)
    shop = create_shop(empty_engine)
    restock(empty_engine, shop.lamp, 10, now=T0)
    orders = [
        place_order(empty_engine, user, {shop.lamp: 1}, now=T0 + day * DAY)
        for user in (shop.user, shop.other_user)
        for day in (0, 2, 3)
    ]
    for order in orders:
        pay_order(empty_engine, order, 1000, "card", now=T0 + 4 * DAY)
    refund_order(empty_engine, orders[0], now=T0 + 4 * DAY)
    cancel_order(empty_engine, orders[4], now=T0 + 4 * DAY)
    migrate.downgrade(empty_engine, "0017")

    migrate.upgrade(empty_engine)

    assert_as_base(empty_engine)
    assert refresh(empty_engine) > 0
    assert_as_base(empty_engine)
    # the first customer's first order was refunded: their cohort starts on day 2
    rows = run_query(empty_engine, "customer_lifetime_value", source="rollup").rows
    assert [(r[0], r[1], r[2]) for r in rows] == [("2026-01", 2, 4)]
