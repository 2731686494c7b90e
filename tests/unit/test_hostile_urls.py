"""A malformed database URL never shows its password, names a bad port plainly, and
stops only the commands that need a database."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from shopdb.cli import cli
from shopdb.config import load_settings, mask_password, parse_database_url
from shopdb.errors import ConfigError

SECRET = "S3cretPW"


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        (f"mysql://root:{SECRET}@127.0.0.1:abc/shop", "bad port 'abc'"),
        (f"mysql://root:{SECRET}@127.0.0.1:99999999/shop", "bad port '99999999'"),
        (f"postgresql://pg:{SECRET}@[::1]:x/shop", "bad port 'x'"),
        (f"mysql://root:{SECRET}@127.0.0.1", "no database name"),
        (f"mysql://root:{SECRET}@/shop", "no host"),
        (f"mysql://root:{SECRET}@h:/shop", "bad port ''"),
    ],
)
def test_a_malformed_url_error_masks_the_password(typed: str, words: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_database_url(typed)

    message = str(raised.value)
    assert words in message
    assert SECRET not in message
    assert "***" in message
    assert "int()" not in message and "\n" not in message


def test_mask_password_leaves_a_url_without_one_alone() -> None:
    assert mask_password("mysql://root@h/shop") == "mysql://root@h/shop"
    assert mask_password(f"mysql://root:{SECRET}@h/shop") == "mysql://root:***@h/shop"


def test_settings_parse_the_url_only_when_asked() -> None:
    settings = load_settings({}, "mysql://root@h:abc/shop")

    with pytest.raises(ConfigError, match="bad port 'abc'"):
        _ = settings.database_url


BAD = f"mysql://root:{SECRET}@127.0.0.1:abc/shop"


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["order", "--help"],
        ["schema", "--dialect", "sqlite"],
        ["erd"],
        ["query", "--list"],
    ],
)
def test_commands_that_need_no_database_ignore_a_bad_url(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args, env={"SHOPDB_DATABASE_URL": BAD})

    assert result.exit_code == 0, result.output
    assert result.output


@pytest.mark.parametrize("args", [["check"], ["order", "show", "1"], ["query", "total_revenue"]])
def test_commands_that_need_a_database_refuse_a_bad_url_in_one_masked_line(
    args: list[str],
) -> None:
    result = CliRunner().invoke(cli, ["--db", BAD, *args])

    assert result.exit_code == 1
    assert (
        result.output
        == "Error: malformed database URL 'mysql://root:***@127.0.0.1:abc/shop': bad port 'abc'\n"
    )
