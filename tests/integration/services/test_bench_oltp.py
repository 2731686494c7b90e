"""``shopdb bench seed`` and a very short ``shopdb bench oltp`` on every backend."""

from __future__ import annotations

import re

import pytest

from click.testing import CliRunner
from sqlalchemy.engine import Engine

from shopdb.cli import cli


def test_seeded_shop_survives_a_short_oltp_run(engine: Engine, db_url_text: str) -> None:
    runner = CliRunner()
    seeded = runner.invoke(
        cli,
        ["--db", db_url_text, "bench", "seed", "--users", "5", "--products", "4", "--stock", "6"],
    )
    assert seeded.exit_code == 0, seeded.output

    ran = runner.invoke(
        cli,
        [
            "--db",
            db_url_text,
            "bench",
            "oltp",
            "--clients",
            "3",
            "--duration",
            "0.6",
            "--hot-products",
            "2",
        ],
    )

    assert ran.exit_code == 0, ran.output
    assert re.search(r"acknowledged orders: \d+, all stored with their items", ran.output)
    assert re.search(r"audit: (\d+) of \1 checks passed", ran.output)
    assert re.search(r"place-order: services \d+ tx/s vs bare driver \d+ tx/s", ran.output)


def test_bad_mix_is_one_line_and_runs_nothing(engine: Engine, db_url_text: str) -> None:
    ran = CliRunner().invoke(cli, ["--db", db_url_text, "bench", "oltp", "--mix", "place=1,x=2"])
    assert ran.exit_code == 1
    assert ran.output.startswith("Error: malformed mix entry 'x=2'")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--duration", "inf"], "--duration must be a number of seconds above 0"),
        (["--duration", "nan"], "--duration must be a number of seconds above 0"),
        (["--duration", "0"], "--duration must be a number of seconds above 0"),
        (["--duration", "1e9"], "at most 86,400"),
        (["--clients", "0"], "--clients must be from 1 to"),
    ],
)
def test_a_duration_that_cannot_end_or_measures_nothing_is_refused(
    engine: Engine, db_url_text: str, args: list[str], words: str
) -> None:
    ran = CliRunner().invoke(cli, ["--db", db_url_text, "bench", "oltp", *args])
    assert ran.exit_code == 1, ran.output
    assert ran.output.startswith("Error: ") and words in ran.output and ran.output.count("\n") == 1
