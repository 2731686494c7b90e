"""Database URLs as users type them, and where the URL comes from."""

from __future__ import annotations

import pytest

from shopdb.config import DEFAULT_DATABASE_URL, load_settings, parse_database_url
from shopdb.errors import ConfigError


@pytest.mark.parametrize(
    ("typed", "driver", "host", "port", "database"),
    [
        ("mysql://root@db.local/shop", "mysql+pymysql", "db.local", None, "shop"),
        ("mariadb://root:pw@db.local:3307/shop", "mysql+pymysql", "db.local", 3307, "shop"),
        ("mysql+pymysql://root@db.local/shop", "mysql+pymysql", "db.local", None, "shop"),
        ("postgresql://pg@db.local/shop", "postgresql+psycopg", "db.local", None, "shop"),
        ("postgres://pg@db.local:5433/shop", "postgresql+psycopg", "db.local", 5433, "shop"),
        ("postgresql+psycopg2://pg@db.local/shop", "postgresql+psycopg", "db.local", None, "shop"),
        ("sqlite:///shop.sqlite3", "sqlite", None, None, "shop.sqlite3"),
        ("sqlite:////var/lib/shop.db", "sqlite", None, None, "/var/lib/shop.db"),
        ("  SQLite:///shop.db  ", "sqlite", None, None, "shop.db"),
    ],
)
def test_short_forms_get_shopdbs_driver(
    typed: str, driver: str, host: str | None, port: int | None, database: str
) -> None:
    url = parse_database_url(typed)

    assert (url.drivername, url.host, url.port, url.database) == (driver, host, port, database)


def test_password_survives_parsing() -> None:
    url = parse_database_url("postgres://pg:s3cret@db.local/shop")

    assert url.password == "s3cret"
    assert url.render_as_string(hide_password=False).endswith("pg:s3cret@db.local/shop")


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("shop.sqlite3", "malformed database URL"),
        ("", "malformed database URL"),
        ("oracle://scott@db/orcl", "unknown database scheme 'oracle'"),
        ("mysql:///shop", "no host"),
        ("postgresql://pg@db.local", "no database name"),
        ("sqlite://host/shop.db", "malformed SQLite URL"),
        ("mysql://root@db.local:port/shop", "malformed database URL"),
    ],
)
def test_bad_urls_are_refused_with_a_one_line_reason(typed: str, words: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_database_url(typed)

    assert words in str(raised.value)
    assert "\n" not in str(raised.value)


def test_explicit_url_wins_over_the_environment() -> None:
    settings = load_settings({"SHOPDB_DATABASE_URL": "mysql://r@h/env"}, "postgres://p@h/flag")

    assert settings.database_url.database == "flag"
    assert settings.database_url.drivername == "postgresql+psycopg"


def test_environment_wins_over_the_default() -> None:
    settings = load_settings({"SHOPDB_DATABASE_URL": "mysql://r@h/env"})

    assert settings.database_url.database == "env"


def test_default_is_a_sqlite_file_in_the_working_directory() -> None:
    settings = load_settings({})

    assert DEFAULT_DATABASE_URL == "sqlite:///shopdb.sqlite3"
    assert settings.database_url.drivername == "sqlite"
    assert settings.database_url.database == "shopdb.sqlite3"


def test_empty_environment_variable_falls_back_to_the_default() -> None:
    assert load_settings({"SHOPDB_DATABASE_URL": ""}).database_url.database == "shopdb.sqlite3"
