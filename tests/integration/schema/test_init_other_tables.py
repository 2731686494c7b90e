"""``shopdb init`` in a database that already holds another application's tables says
what it found, creates shopdb's beside them and leaves them untouched."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.engine import Engine

from shopdb.cli import cli


def test_init_names_the_other_tables_it_found(empty_engine: Engine, db_url_text: str) -> None:
    with empty_engine.begin() as conn:
        conn.execute(text("create table legacy_stuff (id integer primary key)"))
        conn.execute(text("insert into legacy_stuff (id) values (7)"))

    result = CliRunner().invoke(cli, ["--db", db_url_text, "init"])

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == (
        "note: the database also holds 1 other table(s) (legacy_stuff); shopdb's were "
        "created beside them and will never touch them"
    )
    with empty_engine.connect() as conn:
        assert conn.execute(text("select id from legacy_stuff")).scalars().all() == [7]


def test_init_in_an_empty_database_has_nothing_to_note(
    empty_engine: Engine, db_url_text: str
) -> None:
    result = CliRunner().invoke(cli, ["--db", db_url_text, "init"])

    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 1
