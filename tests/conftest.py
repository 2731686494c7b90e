"""Fixtures that give each test its own fresh database on every backend.

The databases come from ``dbservers`` (SQLite always; MariaDB and PostgreSQL where their
servers answer, and under ``CI=true`` an unreachable server fails instead of skipping).
A test that asks for ``engine`` (or for a fixture built on it, such as ``shop``) gets
the empty schema without paying for it: it is built once per test process and backend
(on the servers in three databases used in turn, each emptied in the background after a
test is done with it, before the next test gets it: ``dbservers.SchemaDatabases``). Any
other test that asks for ``db_url`` gets a new database with nothing in it, dropped after
the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import URL, Engine

from dbservers import BACKENDS, SchemaDatabases, create_database, drop_database
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


@pytest.fixture(scope="session")
def schema_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SchemaDatabases]:
    """This process's databases holding the empty schema, one per backend, made on first use."""
    databases = SchemaDatabases(tmp_path_factory.mktemp("schema_databases"))
    yield databases
    databases.close()


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[URL]:
    """The URL of this test's database on ``backend``, holding no rows.

    With ``engine`` among the test's fixtures it holds the empty shopdb schema; otherwise
    it is a new database with nothing in it, dropped after the test.
    """
    if "engine" in request.fixturenames:
        databases: SchemaDatabases = request.getfixturevalue("schema_databases")
        yield databases.fresh(backend, tmp_path)
        return
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
    """An engine on ``db_url``: an empty database (no schema), unless the test asks for
    ``engine`` too."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    """An engine on a database holding the empty shopdb schema, and no rows.

    The engine is new for each test (its own pool and event listeners), and so are the
    database's contents; only the schema is reused.
    """
    return empty_engine
