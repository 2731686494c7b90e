"""One database per backend for the constraint tests; each test runs in a transaction
that is rolled back, so the tests share the schema but never each other's rows.

The database is made by ``dbservers.schema_engine``, so CI=true fails on an unreachable
server here too.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Connection, Engine

from dbservers import BACKENDS, schema_engine


@pytest.fixture(scope="module", params=BACKENDS)
def shop(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """An engine on a database holding the empty shopdb schema, one per backend and module."""
    backend = str(request.param)
    with schema_engine(backend, tmp_path_factory.mktemp(backend)) as (engine, _url):
        yield engine


@pytest.fixture
def conn(shop: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back after the test."""
    with shop.connect() as connection:
        transaction = connection.begin()
        try:
            yield connection
        finally:
            transaction.rollback()
