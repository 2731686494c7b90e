"""Settings, loaded at the edge (the CLI group, a test) and passed down.

Nothing here runs at import: ``load_settings`` reads the environment it is given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from shopdb.errors import ConfigError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

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
    """What a shopdb command needs to know before it touches a database.

    The URL is parsed when first asked for, so commands that need no database
    (``--help``, ``schema``, ``erd``, ``query --list``) never fail on a bad one.
    """

    raw_database_url: str

    @cached_property
    def database_url(self) -> URL:
        """The parsed URL.

        Raises:
            ConfigError: the URL is malformed (see ``parse_database_url``).
        """
        return parse_database_url(self.raw_database_url)


def load_settings(environ: Mapping[str, str], database_url: str | None = None) -> Settings:
    """Build settings from an explicit URL, else the environment, else the default."""
    raw = database_url or environ.get(ENV_DATABASE_URL) or DEFAULT_DATABASE_URL
    return Settings(raw_database_url=raw)


_PASSWORD = re.compile(r"(://[^/@:]*:)[^/@]*@")


def mask_password(raw: str) -> str:
    """``raw`` with the password of its URL, if any, replaced by ``***``."""
    return _PASSWORD.sub(r"\1***@", raw)


def parse_database_url(raw: str) -> URL:
    """Turn what a user typed into a SQLAlchemy URL with shopdb's driver.

    Raises:
        ConfigError: the URL is malformed or names a scheme shopdb does not support.
    """
    # SQLAlchemy here, not at import: ``shopdb --help`` reads ENV_DATABASE_URL
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    text = raw.strip()
    shown = mask_password(raw)
    if "://" not in text:
        raise ConfigError(
            f"malformed database URL {shown!r}: expected scheme://..., e.g. sqlite:///shop.db"
        )
    scheme = text.split("://", 1)[0].lower()
    if scheme not in _SCHEMES:
        known = ", ".join(sorted({s.split("+")[0] for s in _SCHEMES}))
        raise ConfigError(f"unknown database scheme {scheme!r}: use one of {known}")
    port = _port(text)
    if port is not None and not (port.isdigit() and 0 < int(port) < 65536):
        raise ConfigError(f"malformed database URL {shown!r}: bad port {port!r}")
    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as exc:
        reason = mask_password(str(exc)) if url_password(text) is None else "cannot be parsed"
        raise ConfigError(f"malformed database URL {shown!r}: {reason}") from None
    url = url.set(drivername=_SCHEMES[scheme])
    if url.drivername == "sqlite":
        if url.host:
            raise ConfigError(
                f"malformed SQLite URL {shown!r}: use sqlite:///relative/path or sqlite:////abs/path"
            )
        return url
    if not url.host:
        raise ConfigError(f"malformed database URL {shown!r}: no host")
    if not url.database:
        raise ConfigError(f"malformed database URL {shown!r}: no database name")
    return url


def _port(text: str) -> str | None:
    """The port as typed (``'abc'`` in ``mysql://h:abc/db``), or None when there is none."""
    netloc = text.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0]
    host_port = netloc.rsplit("@", 1)[-1].rsplit("]", 1)[-1]
    return host_port.split(":", 1)[1] if ":" in host_port else None


def url_password(raw: str) -> str | None:
    """The password written in a URL, if any (so no message repeats it)."""
    found = _PASSWORD.search(raw)
    return None if found is None else raw[found.end(1) : found.end() - 1]


def settings_for(url: URL | str) -> Settings:
    """Settings for a URL given in code (tests, benchmarks), parsed or as text."""
    raw = url if isinstance(url, str) else url.render_as_string(hide_password=False)
    return Settings(raw_database_url=raw)
