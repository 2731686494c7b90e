"""``shopdb bench seed`` and a very short ``shopdb bench oltp`` on every backend.

The figures depend on timing (how many transactions fit in a fraction of a second on a
loaded machine), so the test checks the report's structure, never the figures' values.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import Engine

from shopdb.audit import CHECKS
from shopdb.cli import cli

COLUMNS = [
    "phase",
    "type",
    "committed",
    "tx/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "retries",
    "refused",
    "errors",
]
MIX_KINDS = {"place", "pay", "cancel", "restock", "lookup"}
# a wide terminal, so rich never wraps or truncates a cell
WIDE = {"COLUMNS": "200"}


def _table(output: str) -> tuple[list[str], list[list[str]]]:
    """The figures table's header cells and its rows' cells, from rich's box drawing."""
    header = next(line for line in output.splitlines() if line.startswith("┃"))
    rows = [line for line in output.splitlines() if line.startswith("│")]
    return _cells(header, "┃"), [_cells(row, "│") for row in rows]


def _cells(line: str, bar: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip(bar).split(bar)]


def test_seeded_shop_survives_a_short_oltp_run(engine: Engine, db_url_text: str) -> None:
    runner = CliRunner()
    seeded = runner.invoke(
        cli,
        ["--db", db_url_text, "bench", "seed", "--users", "5", "--products", "4", "--stock", "6"],
    )
    assert seeded.exit_code == 0, seeded.output
    assert seeded.output == "seeded 5 users and 4 products with 6 units each\n"

    ran = runner.invoke(
        cli,
        [
            *("--db", db_url_text, "bench", "oltp", "--clients", "3", "--duration", "0.6"),
            *("--hot-products", "2"),
        ],
        env=WIDE,
    )

    assert ran.exit_code == 0, ran.output
    header, rows = _table(ran.output)
    assert header == COLUMNS
    assert [row[0] for row in rows if row[1] == "place"] == ["baseline", "services-place", "mixed"]
    assert {row[0] for row in rows} == {"baseline", "services-place", "mixed"}
    assert {row[1] for row in rows if row[0] == "mixed"} <= MIX_KINDS
    for row in rows:
        assert all(re.fullmatch(r"\d+", row[i]) for i in (2, 3, 7, 8, 9)), row
        assert all(re.fullmatch(r"\d+\.\d", row[i]) for i in (4, 5, 6)), row
        assert row[9] == "0", row  # no error reached a client
    ratio = [line for line in ran.output.splitlines() if line.startswith("place-order:")]
    # printed only when the baseline committed something in its fraction of a second
    assert all(
        re.fullmatch(
            r"place-order: services \d+ tx/s vs bare driver \d+ tx/s = \d+% of the baseline", line
        )
        for line in ratio
    ), ratio
    assert re.search(r"^acknowledged orders: \d+, all stored with their items$", ran.output, re.M)
    assert f"\naudit: {len(CHECKS)} of {len(CHECKS)} checks passed\n" in ran.output


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


def test_rollup_compare_with_counter_rows_prints_each_side_and_stays_exact(
    engine: Engine, db_url_text: str
) -> None:
    runner = CliRunner()
    seeded = runner.invoke(
        cli,
        ["--db", db_url_text, "bench", "seed", "--users", "5", "--products", "4", "--stock", "50"],
    )
    assert seeded.exit_code == 0, seeded.output

    ran = runner.invoke(
        cli,
        [
            *("--db", db_url_text, "bench", "oltp", "--clients", "2", "--duration", "0.8"),
            *("--no-compare", "--rollup-compare", "--counter-rows", "--top-up", "20"),
            *("--mix", "place=40,pay=40,cancel=8,refund=7,lookup=5"),
        ],
        env=WIDE,
    )

    assert ran.exit_code == 0, ran.output
    _, rows = _table(ran.output)
    assert [row[0] for row in rows if row[1] == "place"] == [
        "no-rollups",
        "rollups",
        "counter-rows",
        "mixed",
    ]
    assert all(row[9] == "0" for row in rows), rows
    ratios = [line for line in ran.output.splitlines() if line.startswith("place+pay:")]
    # printed only when the side without rollups committed something in its slices
    assert all(
        re.fullmatch(
            r"place\+pay: (rollups|counter-rows) \d+\.\d tx/s vs no rollups \d+\.\d tx/s = \d+%",
            line,
        )
        for line in ratios
    ), ratios
    # the rollups are rebuilt after the slices, and the mixed phase keeps them exact
    assert f"\naudit: {len(CHECKS)} of {len(CHECKS)} checks passed\n" in ran.output
