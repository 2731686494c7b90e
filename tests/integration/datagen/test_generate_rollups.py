"""The generator's rollups, summed from its frames, are the rows a rebuild computes."""

from __future__ import annotations

from conftest_datagen import count
from sqlalchemy import select
from sqlalchemy.engine import Engine

from shopdb.audit import run_checks
from shopdb.db.rollup_schema import (
    FOLDED_TABLES,
    NO_LATER_DAY,
    country_sales_daily,
    customer_cohorts,
    customer_country_days,
    customer_days,
    customer_first_two_days,
    customer_sales,
    product_pairs,
)
from shopdb.rollups.build import rebuild_all

ROLLUPS = (
    *FOLDED_TABLES,
    customer_sales,
    customer_days,
    product_pairs,
    customer_cohorts,
    country_sales_daily,
    customer_country_days,
    customer_first_two_days,
)


def _rows(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as conn:
        return {
            t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
            for t in ROLLUPS
        }


def test_the_generated_rollups_equal_a_rebuild_from_the_base_tables(shop):
    generated = _rows(shop)
    # the tiny shop has recognized orders on many days, and every user has a row
    assert len(generated["sales_daily"]) > 100
    assert len(generated["customer_sales"]) == count(shop, "users")
    assert any(row[1] == 0 for row in generated["customer_sales"])
    assert len(generated["product_pairs"]) > 10
    # cohorts of many first days, each customer counted in later months too
    assert len(generated["customer_cohorts"]) > 100
    assert any(row[1] > row[2] for row in generated["customer_cohorts"])
    # several countries a day; customer-countries with more than one day, and their ends
    assert len({row[1] for row in generated["country_sales_daily"]}) > 1
    assert any(row[1] >= 0 and row[0] < NO_LATER_DAY for row in generated["customer_country_days"])
    assert any(row[0] == NO_LATER_DAY for row in generated["customer_country_days"])
    # customers with one recognized order, with two on one day, and with two on two days
    first_two = generated["customer_first_two_days"]
    assert any(row[0] == NO_LATER_DAY for row in first_two)
    assert any(row[0] == row[1] for row in first_two)
    assert any(row[1] < row[0] < NO_LATER_DAY for row in first_two)
    rebuild_all(shop)
    assert _rows(shop) == generated
    assert count(shop, "rollup_deltas") == 0


def test_the_generated_rollups_pass_the_audit(shop):
    failed = [r.name for r in run_checks(shop) if not r.passed]
    assert failed == []
