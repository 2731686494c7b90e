"""Fixtures for the audit, checksum and export tests: the small valid shop on every backend.

The shop is built once per backend per test session (every test that uses it only reads
it, or corrupts it inside a transaction it rolls back), in a database made and dropped by
``dbservers.schema_engine``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from audit_shop import build_shop
from sqlalchemy.engine import Engine

from dbservers import BACKENDS, schema_engine


@pytest.fixture(scope="session", params=BACKENDS)
def shop_backend(request: pytest.FixtureRequest) -> str:
    """The backend of the shared shop."""
    return str(request.param)


@pytest.fixture(scope="session")
def shop_engine(
    shop_backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """An engine on a database holding the valid shop, shared by every test (read only)."""
    with schema_engine(shop_backend, tmp_path_factory.mktemp(shop_backend)) as (engine, _url):
        build_shop(engine)
        yield engine


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
    with schema_engine(shop_backend, tmp_path_factory.mktemp("other")) as (engine, _url):
        yield engine
