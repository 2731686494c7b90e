"""Fixtures for the generator's integration tests (helpers live in conftest_datagen).

The tiny shop is generated once per backend and test process and copied into each test's
database (``dbservers.copy_shop``), so a test may change it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest_datagen import tiny_params
from sqlalchemy.engine import URL, Engine

from dbservers import ShopTemplates, copy_shop
from shopdb.datagen.generate import generate


def _generate(engine: Engine, _url: URL) -> None:
    generate(engine, tiny_params())


@pytest.fixture(scope="session")
def generated_tiny_shops(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ShopTemplates]:
    """The tiny shop, generated once per backend and test process."""
    shops = ShopTemplates(tmp_path_factory.mktemp("tiny_shops"), _generate)
    yield shops
    shops.close()


@pytest.fixture
def shop(backend: str, engine: Engine, generated_tiny_shops: ShopTemplates) -> Engine:
    """A database holding a generated tiny shop (the test's own database)."""
    copy_shop(generated_tiny_shops.engine(backend), engine)
    return engine
