"""``generate --to-lake``: the rows ``generate`` loads into a database, straight to Parquet."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy.engine import Engine

from conftest import GENERATE
from shopdb.checksum import table_checksums
from shopdb.cli import cli
from shopdb.lake.layout import read_manifest
from shopdb.lake.verify import lake_checksums


def test_the_lake_holds_the_rows_generate_loads(shop_engine: Engine, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, [*GENERATE, "--to-lake", str(tmp_path / "lake")])

    assert result.exit_code == 0, result.output
    assert result.output.startswith("generated seed 7, scale 0.002")
    assert lake_checksums(tmp_path / "lake") == table_checksums(shop_engine)
    manifest = read_manifest(tmp_path / "lake")
    assert manifest.source["kind"] == "generator" and manifest.source["seed"] == 7
    assert (tmp_path / "lake/orders/month=2024-02/part-000001.parquet").is_file()


def test_generate_refuses_an_existing_lake(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    first = CliRunner().invoke(cli, [*GENERATE, "--to-lake", str(lake)])
    assert first.exit_code == 0, first.output
    before = read_manifest(lake)

    again = CliRunner().invoke(cli, [*GENERATE, "--to-lake", str(lake)])

    assert again.exit_code == 1
    assert (
        again.output == f"Error: {str(lake)!r} already holds a lake: generate into a new folder\n"
    )
    assert read_manifest(lake) == before
