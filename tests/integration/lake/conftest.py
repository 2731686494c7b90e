"""Fixtures for the lake tests: a generated shop per backend, and one Spark session.

The shop is generated once per backend and test process and copied into each test's
database (``dbservers.copy_shop``): generating it per test cost most of these tests' time.

Spark starts once per test run (it takes tens of seconds on this machine) with its
scratch and warehouse folders in the run's temporary folder. Without Java the Spark
tests skip, saying so; under ``CI=true`` they fail instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import URL, Engine

# the query tests' data sets are shared with these tests
sys.path.insert(0, str(Path(__file__).parents[1] / "queries"))

from lake_shop import GENERATE

from dbservers import ShopTemplates, copy_shop
from shopdb.cli import cli
from shopdb.lake.layout import LakeError


def _generate(_engine: Engine, url: URL) -> None:
    db = url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, ["--db", db, *GENERATE])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="session")
def generated_shops(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ShopTemplates]:
    """The small generated shop, generated once per backend and test process."""
    shops = ShopTemplates(tmp_path_factory.mktemp("lake_shops"), _generate)
    yield shops
    shops.close()


@pytest.fixture
def shop_engine(backend: str, engine: Engine, generated_shops: ShopTemplates) -> Engine:
    """An engine on a database holding the small generated shop, on each backend.

    The database is the test's own (``engine``'s): the shop ``generate`` made once is
    copied into it, so a test may write to it.
    """
    copy_shop(generated_shops.engine(backend), engine)
    return engine


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The test run's one SparkSession, local, bound to 127.0.0.1."""
    from shopdb.lake.spark import QUICK_JVM, spark_session

    try:
        session = spark_session(
            tmp_path_factory.mktemp("spark"), master="local[2]", jvm_options=QUICK_JVM
        )
    except LakeError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and Spark cannot run: {exc}")
        pytest.skip(f"Spark cannot run here: {exc}")
    yield session
    session.stop()
