"""Every catalogue query gives SQLite's rows on the lake, in DuckDB and in Spark.

Two data sets, both loaded into SQLite and exported to a lake: the seeded random shop
(microsecond timestamps at month and year edges, every parameter variant) for DuckDB,
and a one-year generated shop for both engines (Spark pays a job per table read and
per step of the category tree's recursion, so its data set is small).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import analytics_random_shop as random_shop
import pytest
from click.testing import CliRunner
from test_queries_cross_backend import _calls

from shopdb.cli import cli
from shopdb.config import parse_database_url
from shopdb.db.admin import init_schema
from shopdb.db.engine import make_engine
from shopdb.lake.duck import DuckLake
from shopdb.lake.export import export_lake
from shopdb.lake.reading import run_lake_query
from shopdb.lake.spark import SparkLake
from shopdb.queries import QUERIES, run_query

# one test process runs this module (``./dev test`` distributes with --dist loadgroup): one
# Spark JVM per run instead of one per process, and the module's lakes built once
pytestmark = pytest.mark.xdist_group("spark")
GENERATE = ["generate", "--scale", "0.002", "--seed", "11", "--end", "2025-03-01", "--years", "1"]
AS_OF = "2025-03-01"


@pytest.fixture(scope="module")
def random_lake(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The random shop's lake, and SQLite's answer to every call of every query."""
    folder = tmp_path_factory.mktemp("random_shop")
    engine = make_engine(parse_database_url(f"sqlite:///{folder / 'shop.sqlite3'}"))
    try:
        init_schema(engine)
        random_shop.load(engine, random_shop.build())
        answers = {f"{n} {p}": (n, p, run_query(engine, n, **p).rows) for n, p in _calls()}
        export_lake(engine, folder / "lake")
    finally:
        engine.dispose()
    return folder / "lake", answers


@pytest.fixture(scope="module")
def generated_lake(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A generated shop's lake, and SQLite's rows for each query (default parameters)."""
    folder = tmp_path_factory.mktemp("generated_shop")
    url = f"sqlite:///{folder / 'shop.sqlite3'}"
    result = CliRunner().invoke(cli, ["--db", url, *GENERATE, "--reset"])
    assert result.exit_code == 0, result.output
    engine = make_engine(parse_database_url(url))
    try:
        answers = {name: run_query(engine, name, **_params(name)).rows for name in QUERIES}
        export_lake(engine, folder / "lake")
    finally:
        engine.dispose()
    return folder / "lake", answers


def _params(name: str) -> dict[str, Any]:
    return {"as_of": AS_OF} if QUERIES[name].param("as_of") else {}


def test_duckdb_gives_sqlites_rows_for_every_call(random_lake: tuple[Path, dict[str, Any]]) -> None:
    folder, answers = random_lake
    assert [key for key, (_, _, rows) in answers.items() if not rows] == []
    with DuckLake(folder) as duck:
        for key, (name, params, rows) in answers.items():
            assert run_lake_query(duck, name, **params).rows == rows, key


def test_duckdb_gives_sqlites_rows_on_generated_data(
    generated_lake: tuple[Path, dict[str, Any]],
) -> None:
    folder, answers = generated_lake
    # every query of the catalogue: the 20 analytics queries and the dashboard's
    assert len(answers) == len(QUERIES) >= 20
    # a one-year shop has no order still pending at its end; the random shop's test
    # above compares unpaid_orders on rows
    assert [name for name, rows in answers.items() if not rows] in ([], ["unpaid_orders"])
    with DuckLake(folder) as duck:
        for name, rows in answers.items():
            assert run_lake_query(duck, name, **_params(name)).rows == rows, name


@pytest.mark.slow
def test_spark_gives_sqlites_rows_for_every_query(
    spark: Any, generated_lake: tuple[Path, dict[str, Any]]
) -> None:
    folder, answers = generated_lake
    engine = SparkLake(spark, folder, cache=True)
    for name, rows in answers.items():
        assert run_lake_query(engine, name, **_params(name)).rows == rows, name


def test_spark_filters_like_sqlite(spark: Any, random_lake: tuple[Path, dict[str, Any]]) -> None:
    # parameters bound as Spark named markers: a date range, a limit, a category subtree
    folder, answers = random_lake
    engine = SparkLake(spark, folder, cache=True)
    picked = [
        ("total_revenue", {"since": "2023-06-15", "until": "2024-06-30"}),
        ("top_customers", {"limit": 3}),
        ("best_selling_products", {"category_id": 3}),
        ("unpaid_orders", {"as_of": random_shop.AS_OF}),
    ]
    for name, params in picked:
        expected = answers[f"{name} {params}"][2] if f"{name} {params}" in answers else None
        got = run_lake_query(engine, name, **params).rows
        assert expected is not None and got == expected, name
