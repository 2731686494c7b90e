"""A generated shop at the tests' small scale, shared by the realism tests (they only read)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from dbservers import BACKENDS, schema_engine
from shopdb.datagen.generate import generate
from shopdb.datagen.params import make_params
from shopdb.realism import EngineSource, RealismReport, realism_report

SMALL = 0.01
"""The demo's scale: 6,000 users, 10,000 orders, 1,000 products, three years."""
END = date(2026, 12, 1)


@pytest.fixture(scope="session")
def small_shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """SF 0.01, seed 42, generated once into SQLite (the rows are the same on every backend)."""
    with schema_engine("sqlite", Path(tmp_path_factory.mktemp("realism"))) as (engine, _):
        generate(engine, make_params(42, SMALL, END, 3))
        yield engine


@pytest.fixture(scope="session")
def small_report(small_shop: Engine) -> RealismReport:
    """The realism report of the small shop."""
    return realism_report(EngineSource(small_shop))


@pytest.fixture(scope="module", params=BACKENDS)
def tiny_generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """SF 0.001 (seed 5) on each backend."""
    with schema_engine(str(request.param), Path(tmp_path_factory.mktemp("tiny"))) as (e, _):
        generate(e, make_params(5, 0.001, END, 2))
        yield e
