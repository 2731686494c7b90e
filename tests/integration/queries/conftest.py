"""Fixtures for the query tests: the tiny shop (analytics_tiny_shop) on every backend.

The queries only read, so each test module builds the shop once per backend, in a
database made and dropped by the root conftest's helpers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from analytics_tiny_shop import load_tiny_shop
from sqlalchemy.engine import Engine

from shopdb.db.admin import init_schema
from shopdb.db.engine import make_engine

BACKENDS = ("sqlite", "mysql", "postgresql")


@dataclass
class TinyShop:
    """The tiny shop on one backend: its engine and its URL as ``--db`` takes it."""

    backend: str
    engine: Engine
    url: str


def _root_conftest(config: pytest.Config) -> ModuleType:
    # every folder's conftest is named "conftest", so the root one is found by path
    path = Path(__file__).resolve().parents[2] / "conftest.py"
    module = config.pluginmanager.get_plugin(str(path))
    assert isinstance(module, ModuleType), f"root conftest not loaded from {path}"
    return module


@pytest.fixture(scope="module", params=BACKENDS)
def shop(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TinyShop]:
    """The tiny shop on each backend, shared by one module's tests (they only read)."""
    root = _root_conftest(request.config)
    backend = str(request.param)
    url, name = root.create_database(backend, tmp_path_factory.mktemp("tiny_shop"))
    engine = make_engine(url)
    try:
        init_schema(engine)
        load_tiny_shop(engine)
        yield TinyShop(backend, engine, url.render_as_string(hide_password=False))
    finally:
        engine.dispose()
        if name is not None:
            root.drop_database(backend, name)


@pytest.fixture
def tiny_shop(shop: TinyShop) -> Engine:
    """The tiny shop's engine."""
    return shop.engine
