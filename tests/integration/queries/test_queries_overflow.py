"""Sums past 2**63 - 1 on a hostile but allowed database: 93 orders of one customer, each
at the largest total the schema allows. MariaDB and PostgreSQL add them up exactly;
SQLite's sum() refuses, and shopdb says so in one line (library, CLI), no traceback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from analytics_tiny_shop import at
from click.testing import CliRunner
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from dbservers import BACKENDS, schema_engine
from shopdb.audit import run_checks
from shopdb.cli import cli
from shopdb.db.schema import orders, users
from shopdb.errors import NumberOverflow
from shopdb.limits import INT64_MAX, MAX_TOTAL_CENTS
from shopdb.queries import run_query

ORDER_COUNT = 93  # 92 x 1e17 still fits below 2**63 - 1; 93 do not
assert (ORDER_COUNT - 1) * MAX_TOTAL_CENTS <= INT64_MAX < ORDER_COUNT * MAX_TOTAL_CENTS


@pytest.fixture(scope="module", params=BACKENDS)
def huge(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Engine, str]]:
    backend = str(request.param)
    with schema_engine(backend, tmp_path_factory.mktemp("huge")) as (engine, url):
        with engine.begin() as conn:
            conn.execute(
                insert(users).values(
                    user_id=1,
                    email="rich@example.com",
                    first_name="R",
                    last_name="Ich",
                    created_at=at("2024-01-01 00:00"),
                )
            )
            conn.execute(
                insert(orders),
                [
                    {
                        "order_id": n,
                        "user_id": 1,
                        "status": "delivered",
                        "created_at": at("2024-01-01 12:00") + timedelta(days=n),
                        "total_cents": MAX_TOTAL_CENTS,
                    }
                    for n in range(1, ORDER_COUNT + 1)
                ],
            )
        yield backend, engine, url.render_as_string(hide_password=False)


def test_total_revenue_past_int64_is_exact_or_one_clear_error(
    huge: tuple[str, Engine, str],
) -> None:
    backend, engine, _ = huge
    if backend != "sqlite":
        rows = run_query(engine, "total_revenue", source="base").rows
        assert rows == [(ORDER_COUNT * 10**17, ORDER_COUNT)]
        return
    with pytest.raises(NumberOverflow, match=r"^query 'total_revenue' cannot be answered: a sum"):
        run_query(engine, "total_revenue", source="base")


def test_a_check_summing_past_int64_is_one_clear_error_on_sqlite(
    huge: tuple[str, Engine, str],
) -> None:
    backend, engine, _ = huge
    if backend != "sqlite":
        # the rollups were never built: the check sees a customer missing, exactly summed
        (result,) = run_checks(engine, ["rollup_customer_sales"])
        assert not result.passed
        return
    with pytest.raises(NumberOverflow, match=r"^check 'rollup_customer_sales' cannot be"):
        run_checks(engine, ["rollup_customer_sales"])


@pytest.mark.parametrize("args", [["query", "total_revenue", "--source", "base"], ["check"]])
def test_the_cli_prints_one_line_without_a_traceback(
    huge: tuple[str, Engine, str], args: list[str]
) -> None:
    backend, _, url = huge
    if backend != "sqlite":
        pytest.skip("MariaDB and PostgreSQL sum these exactly")
    result = CliRunner().invoke(cli, ["--db", url, *args])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "cannot be answered: a sum passes the largest 64-bit integer" in lines[0]
