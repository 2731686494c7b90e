"""``shopdb generate`` and ``shopdb demo`` from the command line, bad input included."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from conftest_datagen import count, data_counts
from sqlalchemy import insert, text

from shopdb.cli import cli
from shopdb.db.schema import generation_runs, users
from shopdb.db.types import utcnow


def _run(db_url_text, *args):
    return CliRunner().invoke(cli, ["--db", db_url_text, *args])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scale", "0"], "scale factor must be a number above 0"),
        (["--scale", "-1"], "scale factor must be a number above 0"),
        (["--scale", "lots"], "scale factor must be a number above 0"),
        (["--end", "2025-02-30"], "end must be a date like 2025-12-31"),
        (["--years", "0"], "years must be at least 1"),
        (["--jobs", "0"], "--jobs must be at least 1"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(engine, db_url_text, args, message):
    result = _run(db_url_text, "generate", "--scale", "0.001", *args)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {message}")
    assert result.output.count("\n") == 1
    assert set(data_counts(engine).values()) == {0}
    assert count(engine, "generation_runs") == 0


def test_an_uninitialized_database_is_refused(empty_engine, db_url_text):
    result = _run(db_url_text, "generate", "--scale", "0.001")
    assert result.exit_code == 1
    # an SQLite file that does not exist yet is refused before it is created
    assert "run 'shopdb init'" in result.output
    assert result.output.count("\n") == 1


def test_a_database_with_shop_data_is_refused_without_reset(engine, db_url_text):
    with engine.begin() as conn:
        conn.execute(
            insert(users).values(
                email="kept@example.com", first_name="Kept", last_name="User", created_at=utcnow()
            )
        )
    result = _run(db_url_text, "generate", "--scale", "0.001")
    assert result.exit_code == 1
    assert "already holds shop data" in result.output
    assert "generate with reset to replace it" in result.output
    assert count(engine, "users") == 1
    assert count(engine, "orders") == 0
    assert count(engine, generation_runs.name) == 0


def test_generate_with_reset_replaces_the_data(engine, db_url_text):
    with engine.begin() as conn:
        conn.execute(
            insert(users).values(
                email="gone@example.com", first_name="Gone", last_name="User", created_at=utcnow()
            )
        )
    result = _run(
        db_url_text,
        "generate",
        "--scale",
        "0.001",
        "--seed",
        "5",
        "--end",
        "2025-06-01",
        "--reset",
        "--yes",
    )
    assert result.exit_code == 0, result.output
    assert "orders" in result.output
    assert count(engine, "orders") == 1_000
    assert count(engine, "users") == 600


def test_demo_builds_and_summarizes_a_shop(empty_engine, db_url_text, tmp_path):
    report = tmp_path / "report.html"
    result = _run(
        db_url_text, "demo", "--scale", "0.001", "--end", "2025-06-01", "--report", str(report)
    )
    assert result.exit_code == 0, result.output
    assert "orders from 2022-06-0" in result.output
    # revenue, order value and customers are said once, by the catalogue's queries
    assert "revenue $" not in result.output and "customers bought" not in result.output
    assert count(empty_engine, "orders") == 1_000
    # the report's headline revenue is the plain sum over recognized orders
    with empty_engine.connect() as conn:
        revenue = conn.execute(
            text(
                "select sum(total_cents) from orders"
                " where status in ('paid', 'shipped', 'delivered')"
            )
        ).scalar_one()
    dollars = f"{int(revenue) // 100:,}.{int(revenue) % 100:02d}"
    assert f"revenue            {dollars}" in result.output
    with empty_engine.connect() as conn:
        refunded = conn.execute(
            text("select count(*) from orders where status = 'refunded'")
        ).scalar_one()
    assert f"refunded orders    {refunded:,} (" in result.output
    assert report.read_text().startswith("<!DOCTYPE html>")
    assert dollars in report.read_text()
    # the realism report's one line, then how to open the dashboard, last
    lines = result.output.splitlines()
    realism = [line for line in lines if line.startswith("realism:")]
    assert len(realism) == 1
    assert re.fullmatch(
        r"realism: \d+ of 24 measures within target( \(off: [a-z_0-9, ]+\))? \(shopdb realism\)",
        realism[0],
    )
    assert lines.index(realism[0]) < len(lines) - 1
    assert lines[-1] == "then run ./dev serve and open http://127.0.0.1:8000/ in a browser"
