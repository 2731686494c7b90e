"""One database per backend for the constraint tests; each test runs in a transaction
that is rolled back, so the tests share the schema but never each other's rows.

The database is made by the root conftest's ``create_database`` (loaded by path, since
pytest's conftest modules cannot be imported by name), so CI=true fails on an
unreachable server here too.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Connection, Engine

from shopdb.db.admin import init_schema
from shopdb.db.engine import make_engine

_spec = importlib.util.spec_from_file_location(
    "shopdb_tests_root_conftest", Path(__file__).parents[2] / "conftest.py"
)
assert _spec is not None and _spec.loader is not None
_root = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_root)


@pytest.fixture(scope="module", params=_root.BACKENDS)
def shop(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """An engine on a database holding the empty shopdb schema, one per backend and module."""
    backend = str(request.param)
    url, name = _root.create_database(backend, tmp_path_factory.mktemp(backend))
    engine = make_engine(url)
    try:
        init_schema(engine)
        yield engine
    finally:
        engine.dispose()
        if name is not None:
            _root.drop_database(backend, name)


@pytest.fixture
def conn(shop: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back after the test."""
    with shop.connect() as connection:
        transaction = connection.begin()
        try:
            yield connection
        finally:
            transaction.rollback()
