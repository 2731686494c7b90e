"""Plans that a speed figure depends on, checked where the backend's planner is
deterministic on a small database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from shopdb.queries import explain

COVERING = "ix_orders_user_id_created_at_status_total_cents"


def test_top_customers_reads_each_customers_orders_from_the_index_alone(
    engine: Engine, backend: str
) -> None:
    # migration 0019: status and total in the index, so the per-customer sums of the
    # rollup form (a subquery per candidate) look up no order's row
    if backend == "postgresql":
        pytest.skip("PostgreSQL scans an empty table instead of any index")
    plan = explain(
        engine,
        "top_customers",
        source="rollup",
        since=datetime(2025, 1, 1, tzinfo=UTC),
        until=datetime(2026, 1, 1, tzinfo=UTC),
        limit=20,
    )
    reads = [line for line in plan if " o " in f" {line} " or "| o |" in line]
    assert reads, plan
    if backend == "sqlite":
        assert all(f"USING COVERING INDEX {COVERING}" in line for line in reads), reads
    else:
        assert all(COVERING in line and "Using index" in line for line in reads), reads
