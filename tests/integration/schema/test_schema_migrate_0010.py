"""Migration 0010: the pair deltas awaiting a fold are folded into ``product_pairs``
before their table goes, and ``rollup_deltas`` gains the order's id."""

from __future__ import annotations

from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Engine

from shopdb.db import migrate
from shopdb.db.rollup_schema import product_pairs

_DELTA = (
    "insert into product_pair_deltas (product_a_id, product_b_id, pair_orders, created_at) "
    "values (:a, :b, :n, '2026-01-01 00:00:00')"
)


def test_pending_pair_deltas_are_folded_and_their_table_dropped(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine, "0009")
    with empty_engine.begin() as conn:
        for a, b, n in ((1, 2, 5), (1, 3, 1)):
            conn.execute(
                text("insert into product_pairs values (:a, :b, :n)"), {"a": a, "b": b, "n": n}
            )
        # (1, 2): 5 folded, +1 -3 pending; (2, 3) new; (3, 4) cancels out
        for a, b, n in ((1, 2, 1), (1, 2, -3), (2, 3, 1), (3, 4, 1), (3, 4, -1)):
            conn.execute(text(_DELTA), {"a": a, "b": b, "n": n})

    migrate.upgrade(empty_engine)

    with empty_engine.connect() as conn:
        c = product_pairs.c
        rows = conn.execute(select(c.product_a_id, c.product_b_id, c.pair_orders)).all()
        names = inspect(conn).get_table_names()
        columns = {col["name"] for col in inspect(conn).get_columns("rollup_deltas")}
    assert sorted(tuple(int(v) for v in row) for row in rows) == [(1, 2, 3), (1, 3, 1), (2, 3, 1)]
    assert "product_pair_deltas" not in names
    assert "order_id" in columns
