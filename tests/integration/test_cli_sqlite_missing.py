"""Commands that read a database refuse a SQLite file that does not exist, and create none."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from shopdb.cli import cli


@pytest.mark.parametrize("command", [["check"], ["checksum"], ["order", "show", "1"]])
def test_missing_sqlite_file_is_refused_and_not_created(tmp_path, command):
    path = tmp_path / "absent.sqlite3"

    result = CliRunner().invoke(cli, ["--db", f"sqlite:///{path}", *command])

    assert result.exit_code == 1
    assert "no SQLite database at" in result.output
    assert not path.exists()


def test_init_creates_the_missing_sqlite_file(tmp_path):
    path = tmp_path / "new.sqlite3"

    result = CliRunner().invoke(cli, ["--db", f"sqlite:///{path}", "init"])

    assert result.exit_code == 0, result.output
    assert path.exists()


def test_the_default_database_is_not_the_checkouts(tmp_path):
    # ./dev demo leaves shopdb.sqlite3 in the checkout; a test's default database is elsewhere
    checkout = Path(__file__).resolve().parents[2]

    result = CliRunner().invoke(cli, ["init"], env={"SHOPDB_DATABASE_URL": ""})

    assert result.exit_code == 0, result.output
    assert Path.cwd() != checkout
    assert (Path.cwd() / "shopdb.sqlite3").exists()
