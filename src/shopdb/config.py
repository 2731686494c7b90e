"""Settings, loaded at the edge (the CLI group, a test) and passed down.

Nothing here runs at import: ``load_settings`` reads the environment it is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from shopdb.errors import ConfigError

ENV_DATABASE_URL = "SHOPDB_DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///shopdb.sqlite3"

# The short schemes users type, mapped to the driver shopdb ships with.
_SCHEMES = {
    "sqlite": "sqlite",
    "sqlite+pysqlite": "sqlite",
    "mysql": "mysql+pymysql",
    "mysql+pymysql": "mysql+pymysql",
    "mariadb": "mysql+pymysql",
    "mariadb+pymysql": "mysql+pymysql",
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
    "postgresql+psycopg2": "postgresql+psycopg",
}


@dataclass(frozen=True)
class Settings:
    """What a shopdb command needs to know before it touches a database."""

    database_url: URL


def load_settings(environ: Mapping[str, str], database_url: str | None = None) -> Settings:
    """Build settings from an explicit URL, else the environment, else the default."""
    raw = database_url or environ.get(ENV_DATABASE_URL) or DEFAULT_DATABASE_URL
    return Settings(database_url=parse_database_url(raw))


def parse_database_url(raw: str) -> URL:
    """Turn what a user typed into a SQLAlchemy URL with shopdb's driver.

    Raises:
        ConfigError: the URL is malformed or names a scheme shopdb does not support.
    """
    text = raw.strip()
    if "://" not in text:
        raise ConfigError(
            f"malformed database URL {raw!r}: expected scheme://..., e.g. sqlite:///shop.db"
        )
    scheme = text.split("://", 1)[0].lower()
    if scheme not in _SCHEMES:
        known = ", ".join(sorted({s.split("+")[0] for s in _SCHEMES}))
        raise ConfigError(f"unknown database scheme {scheme!r}: use one of {known}")
    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as exc:
        raise ConfigError(f"malformed database URL {raw!r}: {exc}") from None
    url = url.set(drivername=_SCHEMES[scheme])
    if url.drivername == "sqlite":
        if url.host:
            raise ConfigError(
                f"malformed SQLite URL {raw!r}: use sqlite:///relative/path or sqlite:////abs/path"
            )
        return url
    if not url.host:
        raise ConfigError(f"malformed database URL {raw!r}: no host")
    if not url.database:
        raise ConfigError(f"malformed database URL {raw!r}: no database name")
    return url
