"""Where ``auto`` runs a rollup form that answers but may read more than the base tables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shopdb.queries.sources import use_rollup


def _midnight(days_ago: int) -> datetime:
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=days_ago)


def test_lifetime_value_reads_its_rollup_for_a_range_ending_now_only():
    now = {"since": _midnight(365), "until": _midnight(-1)}
    past = {"since": _midnight(365), "until": _midnight(180)}
    assert use_rollup("customer_lifetime_value", now, "auto")
    assert not use_rollup("customer_lifetime_value", past, "auto")
    # asked for, the rollup form still answers the past range (the same rows, slower)
    assert use_rollup("customer_lifetime_value", past, "rollup")
