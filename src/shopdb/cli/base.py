"""The root command group: ``--db``, ``--version``, settings and one-line errors.

Nothing here imports SQLAlchemy, and the root group imports a command's module only when
that command runs (or prints its own help), so ``shopdb --version`` and ``shopdb --help``
start in a fraction of a second (bench/cli_start.py; tests/unit/test_cli_start.py).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from shopdb import __version__
from shopdb.config import ENV_DATABASE_URL, Settings, load_settings
from shopdb.errors import ShopError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.exc import DBAPIError


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
            from shopdb.db.engine import open_engine

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


Declared = Mapping[str, tuple[str, str]]
"""Command name -> (the module defining it, its one-line summary in the group's help)."""


class LazyCommands(MutableMapping[str, click.Command]):
    """A group's commands, each declared one loaded when first looked up.

    Looking a declared command up calls ``load`` with its name, which registers it (and
    whatever else its module defines) by setting items here. Iterating, or asking for its
    length, loads every declared command: callers that walk ``group.commands`` see them all.
    """

    def __init__(self, load: Callable[[str], None]) -> None:
        self.declared: dict[str, tuple[str, str]] = {}
        self.loaded: dict[str, click.Command] = {}
        self._load = load

    def names(self) -> list[str]:
        """Every command's name, loaded or not, without loading any."""
        return sorted({*self.loaded, *self.declared})

    def __getitem__(self, name: str) -> click.Command:
        if name not in self.loaded and name in self.declared:
            self._load(name)
        return self.loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self.loaded[name]
        self.declared.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        for name in self.declared:
            if name not in self.loaded:
                self._load(name)
        return iter(list(self.loaded))

    def __len__(self) -> int:
        return len(list(iter(self)))


class ShopGroup(click.Group):
    """A group that prints shopdb's errors as one line (no traceback) and exits 1.

    Commands are added as on any group, or ``declare``d: named with their module and
    summary, and imported only when run (``shopdb --help`` lists them unimported).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commands = LazyCommands(self._load)
        commands.update(self.commands)
        self.commands = self._lazy = commands
        self._loaded_modules: set[str] = set()

    def declare(self, declared: Declared) -> None:
        """Add commands whose module is imported, and its ``register(group)`` called, on
        first use."""
        self._lazy.declared.update(declared)

    def _load(self, name: str) -> None:
        module_name = self._lazy.declared[name][0]
        if module_name in self._loaded_modules:
            return
        self._loaded_modules.add(module_name)
        importlib.import_module(module_name).register(self)
        if name not in self._lazy.loaded:
            raise LookupError(f"{module_name}.register did not add the {name!r} command")

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._lazy.names()

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # a declared command not loaded yet is listed by its summary, shortened as
        # click shortens a help text (the test checks it is the command's own first sentence)
        lazy = self._lazy
        rows = [
            (name, lazy.loaded.get(name) or click.Command(name, help=lazy.declared[name][1]))
            for name in lazy.names()
        ]
        rows = [(name, command) for name, command in rows if not command.hidden]
        if not rows:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        with formatter.section("Commands"):
            formatter.write_dl(
                [(name, command.get_short_help_str(limit)) for name, command in rows]
            )

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ShopError as exc:
            raise click.ClickException(str(exc)) from None
        except Exception as exc:
            error = _database_error(exc)
            if error is None:
                raise
            raise click.ClickException(_describe(ctx, error)) from None


def _database_error(exc: Exception) -> DBAPIError | None:
    """``exc`` if it is SQLAlchemy's error for what the database refused, else None."""
    if "sqlalchemy.exc" not in sys.modules:
        return None  # no SQLAlchemy loaded, so no database error either
    from sqlalchemy.exc import DBAPIError

    return exc if isinstance(exc, DBAPIError) else None


def _describe(ctx: click.Context, exc: DBAPIError) -> str:
    """The one line a database error prints: a lost server, a named violation, or the
    driver's first line."""
    from shopdb.db.engine import describe_connect_error
    from shopdb.db.violations import translate

    obj = ctx.find_object(ShopContext)
    if exc.connection_invalidated and obj is not None:
        return describe_connect_error(obj.settings.database_url, exc)
    violation = translate(exc, obj.opened if obj is not None else None)
    if violation is not None:
        return str(violation)
    first = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    return f"database error: {first}"


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
