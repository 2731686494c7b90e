"""Sums past 2**63 - 1 on a hostile but allowed database: 93 orders of one customer, each
at the largest total the schema allows. MariaDB and PostgreSQL add them up exactly;
SQLite's sum() refuses, and shopdb says so in one line (library, CLI), no traceback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from dbservers import BACKENDS, schema_engine
from overflow_shop import ORDER_COUNT, insert_overflowing_orders
from shopdb.audit import run_checks
from shopdb.cli import cli
from shopdb.db.rollup_schema import customer_sales, sales_daily
from shopdb.errors import NumberOverflow
from shopdb.queries import QUERIES, run_query
from shopdb.rollups.build import rebuild_all


@pytest.fixture(scope="module", params=BACKENDS)
def huge(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Engine, str]]:
    backend = str(request.param)
    with schema_engine(backend, tmp_path_factory.mktemp("huge")) as (engine, url):
        insert_overflowing_orders(engine)
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


@pytest.fixture(scope="module", params=BACKENDS)
def huge_rolled_up(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Engine]]:
    backend = str(request.param)
    with schema_engine(backend, tmp_path_factory.mktemp("huge2")) as (engine, _url):
        insert_overflowing_orders(engine, customers=2)
        rebuild_all(engine)
        yield backend, engine


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_past_int64_answers_integers_or_refuses(
    huge_rolled_up: tuple[str, Engine], name: str
) -> None:
    # SQLite turns 2 * a past 2**63 - 1 into a float (round_div): never answer one
    _, engine = huge_rolled_up
    try:
        result = run_query(engine, name)
    except NumberOverflow as refused:
        assert str(refused).startswith(f"query {name!r} cannot be answered: a sum passes")
        return
    kinds = [c.kind for c in QUERIES[name].columns]
    for row in result.rows:
        for value, kind in zip(row, kinds, strict=True):
            assert kind != "int" or value is None or type(value) is int, (name, row)


def test_a_rebuild_past_int64_is_one_clear_error_and_changes_nothing(
    huge: tuple[str, Engine, str],
) -> None:
    # the one customer's lifetime spend passes 2**63 - 1: no backend can store it in a
    # BIGINT column, so every backend refuses the rebuild, and rolls it back
    _backend, engine, db = huge
    with pytest.raises(NumberOverflow, match=r"^rollups rebuild cannot be answered: a sum"):
        rebuild_all(engine)
    result = CliRunner().invoke(cli, ["--db", db, "rollups", "rebuild"])
    assert result.exit_code != 0
    assert result.output.strip().count("\n") == 0, result.output
    assert "rollups rebuild cannot be answered" in result.output
    with engine.connect() as conn:  # the raw orders never had rollups; still none
        for table in (customer_sales, sales_daily):
            assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0
