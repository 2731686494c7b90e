"""A valid shop passes every check; a broken one fails, through the API and the CLI."""

from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import update

from shopdb.audit import CHECKS, SAMPLE_SIZE, run_checks
from shopdb.cli import cli
from shopdb.db import schema as s


def _url(engine):
    return engine.url.render_as_string(hide_password=False)


def test_valid_shop_passes_every_check(shop_engine):
    results = run_checks(shop_engine)

    assert [r.name for r in results] == [c.name for c in CHECKS]
    failed = {r.name: r.sample for r in results if not r.passed}
    assert failed == {}
    assert all(r.violation_count == 0 and r.sample == () for r in results)


def test_check_json_lists_every_check_and_exits_zero(shop_engine):
    result = CliRunner().invoke(cli, ["--db", _url(shop_engine), "check", "--format", "json"])

    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [item["name"] for item in data] == [c.name for c in CHECKS]
    assert data[0] == {
        "name": "generation_complete",
        "description": CHECKS[0].description,
        "passed": True,
        "violation_count": 0,
        "sample": [],
    }


def test_broken_totals_counted_beyond_the_sample_and_listed(shop):
    with shop.begin() as conn:
        conn.execute(update(s.orders).values(total_cents=s.orders.c.total_cents + 1))

    result = CliRunner().invoke(cli, ["--db", _url(shop), "check"])
    data = json.loads(
        CliRunner().invoke(cli, ["--db", _url(shop), "check", "--format", "json"]).output
    )

    assert result.exit_code == 1
    assert "order_total_matches_items: 7 violating row(s), first 5:" in result.output
    assert "order_id=1, total_cents=21998, items_cents=21997" in result.output
    assert "31 of 40 checks passed" in result.output
    totals = next(item for item in data if item["name"] == "order_total_matches_items")
    assert totals["passed"] is False
    assert totals["violation_count"] == 7
    assert len(totals["sample"]) == SAMPLE_SIZE
    assert [row["order_id"] for row in totals["sample"]] == [1, 2, 3, 4, 5]
    assert {item["name"] for item in data if not item["passed"]} == {
        "order_total_matches_items",
        "paid_order_reconciles",
        "refunded_order_reconciles",
        # revenue and spend summarize total_cents; the product rollups read the items
        "rollup_sales_daily",
        "rollup_customer_sales",
        "rollup_customer_recency_frequency",
        # the funnel's rollup holds the refunded orders' totals
        "rollup_order_funnel_daily",
        # and revenue per country, and spend per first day
        "rollup_country_sales_daily",
        "rollup_customer_first_day_totals",
    }


def test_check_on_a_database_without_schema_is_one_line(empty_engine):
    with empty_engine.connect():  # an existing, empty database (SQLite: the file exists)
        pass
    result = CliRunner().invoke(cli, ["--db", _url(empty_engine), "check"])

    assert result.exit_code == 1
    assert result.output == "Error: the database holds no shopdb schema: run 'shopdb init' first\n"
