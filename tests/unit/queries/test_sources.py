"""Where ``auto`` runs a rollup form that answers but may read more than the base tables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shopdb.queries import reads_rollups
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


def test_lifetime_value_counts_as_reading_the_rollups_by_days_for_a_range_ending_now():
    # its rollup form reads a row per first day (migration 0018), so its card loads with
    # the page; a past range recounts its cohort from their orders and loads on its own
    since, until = _midnight(365), _midnight(-1)
    assert reads_rollups("customer_lifetime_value", since=since, until=until)
    assert not reads_rollups("customer_lifetime_value", since=since, until=_midnight(180))
    # a query with no rollup form never does
    assert not reads_rollups("unpaid_orders")
