"""The realism queries give the same report on SQLite, MariaDB and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import Engine

from dbservers import schema_engine
from shopdb.cli import cli
from shopdb.datagen.generate import generate
from shopdb.datagen.params import make_params
from shopdb.realism import EngineSource, realism_report


def test_every_backend_gives_the_same_report(tiny_generated: Engine, tmp_path: Path) -> None:
    report = realism_report(EngineSource(tiny_generated)).as_dict()
    with schema_engine("sqlite", tmp_path) as (sqlite, _):
        generate(sqlite, make_params(5, 0.001, date(2026, 12, 1), 2))
        expected = realism_report(EngineSource(sqlite)).as_dict()

    assert report == expected
    assert any(m["value"] is not None for m in report["measures"])


def test_the_command_prints_json_and_a_table(tiny_generated: Engine) -> None:
    if tiny_generated.dialect.name != "sqlite":
        pytest.skip("the command's output does not depend on the backend")
    url = tiny_generated.url.render_as_string(hide_password=False)
    runner = CliRunner()

    as_json = runner.invoke(cli, ["--db", url, "realism", "--format", "json"])
    table = runner.invoke(cli, ["--db", url, "realism"])

    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.output)
    names = [m["name"] for m in data["measures"]]
    assert "best_seller_orders" in names and "complement_pairs" in names
    assert table.exit_code == 0
    assert table.output.splitlines()[-1] == data["summary"]
    assert any(line.startswith(("ok ", "OFF ")) for line in table.output.splitlines())
