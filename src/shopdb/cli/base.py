"""The root command group: ``--db``, ``--version``, settings and one-line errors."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import click
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from shopdb import __version__
from shopdb.config import ENV_DATABASE_URL, Settings, load_settings
from shopdb.db.engine import describe_connect_error, open_engine
from shopdb.db.violations import translate
from shopdb.errors import ShopError


@dataclass
class ShopContext:
    """What every command receives: the settings, and an engine opened on first use."""

    settings: Settings
    _engine: Engine | None = field(default=None, repr=False)

    def engine(self, *, create: bool = False) -> Engine:
        """The engine for ``--db``, opened once by ``open_engine`` (so a bad server fails early).

        A SQLite file that does not exist yet is created only when ``create`` is set
        (``init``, ``reset``, ``demo``); any other command refuses it instead of leaving
        an empty file behind.
        """
        if self._engine is None:
            self._engine = open_engine(self.settings, create=create)
        return self._engine

    @property
    def opened(self) -> Engine | None:
        """The engine if a command has opened it, else None (nothing is opened here)."""
        return self._engine

    def close(self) -> None:
        """Dispose of the engine's pool, if one was made."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


class ShopGroup(click.Group):
    """A group that prints shopdb's errors as one line (no traceback) and exits 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ShopError as exc:
            raise click.ClickException(str(exc)) from None
        except DBAPIError as exc:
            obj = ctx.find_object(ShopContext)
            if exc.connection_invalidated and obj is not None:
                raise click.ClickException(
                    describe_connect_error(obj.settings.database_url, exc)
                ) from None
            violation = translate(exc, obj.opened if obj is not None else None)
            if violation is not None:
                raise click.ClickException(str(violation)) from None
            first = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise click.ClickException(f"database error: {first}") from None


pass_shop = click.make_pass_decorator(ShopContext)


@contextmanager
def in_cli_words(words: Mapping[str, str]) -> Iterator[None]:
    """Say a library error in the command line's words: the library names parameters,
    the CLI their flags (``{"use source 'base'": "use --source base"}``)."""
    try:
        yield
    except ShopError as exc:
        message = str(exc)
        for library, flags in words.items():
            message = message.replace(library, flags)
        raise click.ClickException(message) from None


@click.group(cls=ShopGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "database_url",
    metavar="URL",
    help=f"Database URL (sqlite:///file, mysql://..., postgresql://...). "
    f"Default: ${ENV_DATABASE_URL}, else sqlite:///shopdb.sqlite3.",
)
@click.version_option(__version__, prog_name="shopdb")
@click.pass_context
def cli(ctx: click.Context, database_url: str | None) -> None:
    """shopdb: a realistic e-commerce database on SQLite, MariaDB and PostgreSQL."""
    settings = load_settings(os.environ, database_url)
    shop = ShopContext(settings)
    ctx.obj = shop
    ctx.call_on_close(shop.close)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="shopdb")
