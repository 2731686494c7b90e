"""Migration 0017: ``sales_daily`` gains ``new_revenue_cents``, filled from the base
tables, so the rollup (folded plus pending) stays equal to them although the deltas from
before it carry no new customers' revenue."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Engine

from shopdb.audit import run_checks
from shopdb.datagen.generate import generate
from shopdb.datagen.params import make_params
from shopdb.db import migrate
from shopdb.db.rollup_schema import rollup_deltas, sales_daily
from shopdb.db.schema import orders
from shopdb.lifecycle import RECOGNIZED_STATUSES
from shopdb.services import refund_order


def _first_orders(engine: Engine) -> dict[int, tuple[datetime, int, int]]:
    """Each customer's first recognized order (placed at, id, total), worked out here."""
    first: dict[int, tuple[datetime, int, int]] = {}
    with engine.connect() as conn:
        for user, at, order_id, total in conn.execute(
            select(
                orders.c.user_id, orders.c.created_at, orders.c.order_id, orders.c.total_cents
            ).where(orders.c.status.in_(RECOGNIZED_STATUSES))
        ):
            held = (at, int(order_id), int(total))
            first[user] = min(first.get(user, held), held)
    return first


def _new_revenue(engine: Engine) -> int:
    with engine.connect() as conn:
        folded = conn.execute(select(func.sum(sales_daily.c.new_revenue_cents))).scalar()
        pending = conn.execute(select(func.sum(rollup_deltas.c.new_revenue_cents))).scalar()
    return int(folded or 0) + int(pending or 0)


def test_new_revenue_is_filled_from_the_first_orders(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    generate(empty_engine, make_params(3, 0.001, date(2025, 11, 26), 1))
    # refunding customers' first orders moves their first order: deltas not yet folded
    firsts = sorted(_first_orders(empty_engine).values())[:3]
    for _, order_id, _ in firsts:
        refund_order(empty_engine, order_id, now=datetime(2025, 11, 27, tzinfo=UTC))
    migrate.downgrade(empty_engine, "0016")
    with empty_engine.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("sales_daily")}
        pending = conn.execute(select(func.count()).select_from(rollup_deltas)).scalar_one()
    assert "new_revenue_cents" not in columns
    assert pending > 0

    migrate.upgrade(empty_engine)

    expected = sum(total for _, _, total in _first_orders(empty_engine).values())
    assert expected > 0
    assert _new_revenue(empty_engine) == expected
    results = run_checks(empty_engine, ["rollup_sales_daily"])
    assert [r.name for r in results if not r.passed] == []
