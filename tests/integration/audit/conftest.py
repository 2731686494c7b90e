"""Fixtures for the audit, checksum and export tests: the small valid shop on every backend.

The shop is built once per backend per test session (every test that uses it only reads
it, or corrupts it inside a transaction it rolls back), in a database made and dropped by
the root conftest's helpers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from audit_shop import build_shop
from sqlalchemy.engine import Engine

from shopdb.db.admin import init_schema
from shopdb.db.engine import make_engine

BACKENDS = ("sqlite", "mysql", "postgresql")


def _root_conftest(config: pytest.Config) -> ModuleType:
    # pytest names every folder-level conftest "conftest", so the root one cannot be
    # imported by name; it is registered as a plugin under its path
    path = Path(__file__).resolve().parents[2] / "conftest.py"
    module = config.pluginmanager.get_plugin(str(path))
    assert isinstance(module, ModuleType), f"root conftest not loaded from {path}"
    return module


@pytest.fixture(scope="session", params=BACKENDS)
def shop_backend(request: pytest.FixtureRequest) -> str:
    """The backend of the shared shop."""
    return str(request.param)


@pytest.fixture(scope="session")
def shop_engine(
    shop_backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """An engine on a database holding the valid shop, shared by every test (read only)."""
    root = _root_conftest(request.config)
    url, name = root.create_database(shop_backend, tmp_path_factory.mktemp(shop_backend))
    engine = make_engine(url)
    try:
        init_schema(engine)
        build_shop(engine)
        yield engine
    finally:
        engine.dispose()
        if name is not None:
            root.drop_database(shop_backend, name)


@pytest.fixture
def shop(engine: Engine) -> Engine:
    """A fresh database per test holding the valid shop (for tests that write)."""
    build_shop(engine)
    return engine


@pytest.fixture
def other_db(
    request: pytest.FixtureRequest, shop_backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A second database with the empty schema, on the shared shop's backend."""
    root = _root_conftest(request.config)
    url, name = root.create_database(shop_backend, tmp_path_factory.mktemp("other"))
    engine = make_engine(url)
    try:
        init_schema(engine)
        yield engine
    finally:
        engine.dispose()
        if name is not None:
            root.drop_database(shop_backend, name)
