"""Every query gives the same rows on MariaDB and PostgreSQL as on SQLite, same data.

Two data sets: the seeded random shop (analytics_random_shop), with microsecond
timestamps at month edges, and the generator's own output at a small scale.
"""

from __future__ import annotations

from pathlib import Path

import analytics_random_shop as random_shop
import pytest
from click.testing import CliRunner

from shopdb.cli import cli
from shopdb.config import parse_database_url
from shopdb.db.admin import init_schema
from shopdb.db.engine import make_engine
from shopdb.queries import QUERIES, run_query

VARIANTS = [
    {},
    {"since": "2023-06-15", "until": "2024-06-30"},
    {"limit": 3},
    {"category_id": 3},
    {"window_days": 200, "min_orders": 1},
]


def _calls() -> list[tuple[str, dict[str, object]]]:
    calls = []
    for name, spec in QUERIES.items():
        for variant in VARIANTS:
            params: dict[str, object] = {k: v for k, v in variant.items() if spec.param(k)}
            if spec.param("as_of"):
                params["as_of"] = random_shop.AS_OF
            if variant and not params.keys() - {"as_of"}:
                continue
            calls.append((name, params))
    return calls


def answers(engine) -> dict[str, list[tuple[object, ...]]]:
    return {f"{name} {params}": run_query(engine, name, **params).rows for name, params in _calls()}


@pytest.fixture(scope="module")
def shop_rows():
    return random_shop.build()


@pytest.fixture(scope="module")
def sqlite_answers(shop_rows, tmp_path_factory):
    path = Path(tmp_path_factory.mktemp("reference")) / "shop.sqlite3"
    engine = make_engine(parse_database_url(f"sqlite:///{path}"))
    try:
        init_schema(engine)
        random_shop.load(engine, shop_rows)
        return answers(engine)
    finally:
        engine.dispose()


def test_every_query_gives_sqlites_rows(backend, engine, shop_rows, sqlite_answers):
    if backend == "sqlite":
        pytest.skip("SQLite is the reference")
    random_shop.load(engine, shop_rows)
    got = answers(engine)
    assert got.keys() == sqlite_answers.keys()
    for key, rows in sqlite_answers.items():
        assert got[key] == rows, key


def test_the_data_set_exercises_every_query(sqlite_answers):
    # a comparison of empty results would prove nothing
    empty = [key for key, rows in sqlite_answers.items() if not rows]
    assert empty == []
    assert len(sqlite_answers) > 40


GENERATE = ["generate", "--scale", "0.002", "--seed", "7", "--end", "2025-07-01", "--years", "2"]
GENERATED_AS_OF = "2025-07-01"


def generated_answers(url: str) -> dict[str, list[tuple[object, ...]]]:
    result = CliRunner().invoke(cli, ["--db", url, *GENERATE])
    assert result.exit_code == 0, result.output
    engine = make_engine(parse_database_url(url))
    try:
        return {
            name: run_query(
                engine, name, **({"as_of": GENERATED_AS_OF} if spec.param("as_of") else {})
            ).rows
            for name, spec in QUERIES.items()
        }
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def sqlite_generated_answers(tmp_path_factory):
    path = Path(tmp_path_factory.mktemp("generated")) / "shop.sqlite3"
    url = f"sqlite:///{path}"
    engine = make_engine(parse_database_url(url))
    try:
        init_schema(engine)
    finally:
        engine.dispose()
    return generated_answers(url)


def test_every_query_gives_sqlites_rows_on_generated_data(
    backend, engine, db_url_text, sqlite_generated_answers
):
    if backend == "sqlite":
        pytest.skip("SQLite is the reference")
    got = generated_answers(db_url_text)
    assert [name for name, rows in sqlite_generated_answers.items() if not rows] == []
    for name, rows in sqlite_generated_answers.items():
        assert got[name] == rows, name
