"""Fixtures that give each test its own fresh database on every backend.

SQLite always runs. MariaDB and PostgreSQL run when their servers answer at
``SHOPDB_TEST_MYSQL_URL`` / ``SHOPDB_TEST_POSTGRES_URL`` (defaults: root@127.0.0.1:3306 and
postgres@127.0.0.1:5432). Unreachable servers skip their tests with a message, except under
``CI=true``, where they fail: CI must never pass by skipping a backend.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import DBAPIError

from shopdb.config import parse_database_url
from shopdb.db.admin import init_schema
from shopdb.db.engine import make_engine

BACKENDS = ("sqlite", "mysql", "postgresql")
_SERVER_URLS = {
    "mysql": ("SHOPDB_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/mysql"),
    "postgresql": ("SHOPDB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
}
_unreachable: dict[str, str] = {}


def _server_url(backend: str) -> URL:
    var, default = _SERVER_URLS[backend]
    return parse_database_url(os.environ.get(var, default))


def _admin_engine(backend: str) -> Engine:
    url = _server_url(backend)
    if backend == "postgresql":
        return create_engine(url, isolation_level="AUTOCOMMIT")
    return create_engine(url)


def _unavailable(backend: str, why: str) -> None:
    var = _SERVER_URLS[backend][0]
    message = f"{backend} server unreachable ({why}); start it or set {var} to run these tests"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def create_database(backend: str, tmp_path: Path) -> tuple[URL, str | None]:
    """Create an empty database for one test; return its URL and its name on the server."""
    if backend == "sqlite":
        return parse_database_url(f"sqlite:///{tmp_path / 'shop.sqlite3'}"), None
    if backend in _unreachable:
        _unavailable(backend, _unreachable[backend])
    name = f"shopdb_test_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine(backend)
    try:
        with admin.connect() as conn:
            if backend == "postgresql":
                # C collation: strings sort by code point, as on SQLite and MariaDB (utf8mb4_bin)
                conn.execute(
                    text(
                        f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                        "LC_COLLATE 'C' LC_CTYPE 'C'"
                    )
                )
            else:
                conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
                conn.commit()
    except DBAPIError as exc:
        _unreachable[backend] = str(exc.orig).splitlines()[0]
        _unavailable(backend, _unreachable[backend])
    finally:
        admin.dispose()
    return _server_url(backend).set(database=name), name


def drop_database(backend: str, name: str) -> None:
    """Drop a database made by ``create_database``."""
    admin = _admin_engine(backend)
    try:
        with admin.connect() as conn:
            if backend == "postgresql":
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            else:
                conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
                conn.commit()
    finally:
        admin.dispose()


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
