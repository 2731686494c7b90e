"""Scratch databases on every backend, for the fixtures in every conftest.

SQLite always works. MariaDB and PostgreSQL are found at ``SHOPDB_TEST_MYSQL_URL`` /
``SHOPDB_TEST_POSTGRES_URL`` (defaults: root@127.0.0.1:3306 and postgres@127.0.0.1:5432).
An unreachable server skips the test with a message, except under ``CI=true``, where it
fails: CI must never pass by skipping a backend.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
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


def skip_or_fail(message: str) -> None:
    """Skip the test for something this machine lacks; under ``CI=true``, fail instead."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _unavailable(backend: str, why: str) -> None:
    var = _SERVER_URLS[backend][0]
    skip_or_fail(f"{backend} server unreachable ({why}); start it or set {var} to run these tests")


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


@contextmanager
def schema_engine(backend: str, tmp_path: Path) -> Iterator[tuple[Engine, URL]]:
    """A new database holding the empty shopdb schema: its engine and URL; dropped after."""
    url, name = create_database(backend, tmp_path)
    engine = make_engine(url)
    try:
        init_schema(engine)
        yield engine, url
    finally:
        engine.dispose()
        if name is not None:
            drop_database(backend, name)
