"""Fixtures that give each test its own fresh database on every backend.

The databases come from ``dbservers`` (SQLite always; MariaDB and PostgreSQL where their
servers answer, and under ``CI=true`` an unreachable server fails instead of skipping).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import URL, Engine

from dbservers import BACKENDS, create_database, drop_database
from shopdb.db.admin import init_schema
from shopdb.db.engine import make_engine

__all__ = ["BACKENDS", "create_database", "drop_database"]


@pytest.fixture(scope="session", autouse=True)
def _scratch_working_directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Run the tests in a scratch directory, not the checkout.

    ``./dev demo`` leaves ``shopdb.sqlite3`` (the default database) and ``report.html`` in
    the checkout; a command a test runs without ``--db`` must never read or write them.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path_factory.mktemp("cwd"))
        yield


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The backend under test: sqlite, mysql (MariaDB) or postgresql."""
    return str(request.param)


@pytest.fixture
def db_url(backend: str, tmp_path: Path) -> Iterator[URL]:
    """The URL of a new, empty database on ``backend``, dropped after the test."""
    url, name = create_database(backend, tmp_path)
    yield url
    if name is not None:
        drop_database(backend, name)


@pytest.fixture
def db_url_text(db_url: URL) -> str:
    """``db_url`` as the string a user would pass to ``--db`` (password included)."""
    return db_url.render_as_string(hide_password=False)


@pytest.fixture
def empty_engine(db_url: URL) -> Iterator[Engine]:
    """An engine on an empty database (no schema)."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    """An engine on a database holding the empty shopdb schema."""
    init_schema(empty_engine)
    return empty_engine
