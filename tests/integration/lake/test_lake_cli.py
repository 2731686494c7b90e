"""``shopdb lake export``, ``lake sql``, ``query --engine`` and their one-line errors."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import Engine

from dbservers import ShopTemplates, copy_shop, schema_engine
from shopdb.cli import cli
from shopdb.db.schema import SCHEMA_VERSION
from shopdb.lake.layout import MANIFEST, LakeError, read_manifest
from shopdb.lake.spark import require_java
from shopdb.queries import run_query
from shopdb.queries.formats import render


@pytest.fixture(scope="module")
def exported(
    tmp_path_factory: pytest.TempPathFactory, generated_shops: ShopTemplates
) -> Iterator[Callable[[str], Path]]:
    """The shop as the CLI exports it, once per backend and test process.

    The tests below read a lake (and break their copy of it): exporting one per test,
    from a copy of the shop per test, cost most of their time."""
    folder = tmp_path_factory.mktemp("exported")
    lakes: dict[str, Path] = {}

    def export(backend: str) -> Path:
        if backend not in lakes:
            (folder / f"{backend}-db").mkdir()
            with schema_engine(backend, folder / f"{backend}-db") as (engine, url):
                copy_shop(generated_shops.engine(backend), engine)
                db = url.render_as_string(hide_password=False)
                out = folder / backend
                result = CliRunner().invoke(cli, ["--db", db, "lake", "export", "--out", str(out)])
                assert result.exit_code == 0, result.output
            lakes[backend] = out
        return lakes[backend]

    yield export


@pytest.fixture
def lake(backend: str, exported: Callable[[str], Path], tmp_path: Path) -> Path:
    """The shop exported by the CLI: a copy of its own for each test."""
    return Path(shutil.copytree(exported(backend), tmp_path / "lake"))


def test_export_says_where_and_which_export(
    db_url_text: str, shop_engine: Engine, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        cli, ["--db", db_url_text, "lake", "export", "--out", str(tmp_path / "lake")]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"lake {tmp_path / 'lake'}: export 1, ")
    assert read_manifest(tmp_path / "lake").tables["orders"].row_count > 0


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_lake_sql_prints_like_query(lake: Path) -> None:
    code, out = _run(
        "lake",
        "sql",
        str(lake),
        "select status, count(*) as n from orders group by status order by status",
        "--format",
        "csv",
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "status,n"
    assert {line.split(",")[0] for line in lines[1:]} <= {
        "pending",
        "paid",
        "shipped",
        "delivered",
        "cancelled",
        "refunded",
    }
    assert (
        sum(int(line.split(",")[1]) for line in lines[1:])
        == read_manifest(lake).tables["orders"].row_count
    )


def test_query_on_duckdb_prints_the_databases_rows(
    shop_engine: Engine, db_url_text: str, lake: Path
) -> None:
    expected = render(run_query(shop_engine, "monthly_revenue"), "json")
    code, out = _run(
        "query", "monthly_revenue", "--engine", "duckdb", "--lake", str(lake), "--format", "json"
    )
    assert code == 0
    assert out == expected


def test_lake_sql_refuses_writes(lake: Path) -> None:
    before = (lake / MANIFEST).read_text()
    code, out = _run("lake", "sql", str(lake), f"copy orders to '{lake}/x.csv'")
    assert code == 1
    assert out == "Error: the lake is read-only: only SELECT runs, not copy\n"
    code, out = _run("lake", "sql", str(lake), "select 1; select 2")
    assert out == "Error: give exactly one SELECT statement, not 2\n"
    assert not (lake / "x.csv").exists() and (lake / MANIFEST).read_text() == before


def test_a_folder_that_is_not_a_lake(tmp_path: Path) -> None:
    code, out = _run("lake", "sql", str(tmp_path), "select 1")
    assert code == 1
    assert out == f"Error: {str(tmp_path)!r} is not a lake: it has no manifest.json\n"
    code, out = _run(
        "query", "total_revenue", "--engine", "duckdb", "--lake", str(tmp_path / "none")
    )
    assert out == f"Error: {str(tmp_path / 'none')!r} is not a lake: no such folder\n"


def test_a_lake_of_another_schema_revision(lake: Path) -> None:
    manifest = json.loads((lake / MANIFEST).read_text())
    manifest["schema_revision"] = "0001"
    (lake / MANIFEST).write_text(json.dumps(manifest))
    code, out = _run("lake", "sql", str(lake), "select 1")
    assert code == 1
    assert out == (
        f"Error: the lake at {str(lake)!r} was written for schema revision 0001, "
        f"this shopdb reads revision {SCHEMA_VERSION}\n"
    )


def test_a_lake_of_the_previous_format(lake: Path) -> None:
    # format 1 lakes have no carried columns on order_items: read, they would fail later
    manifest = json.loads((lake / MANIFEST).read_text())
    manifest["format_version"] = 1
    (lake / MANIFEST).write_text(json.dumps(manifest))
    code, out = _run("query", "best_selling_products", "--engine", "duckdb", "--lake", str(lake))
    assert code == 1
    assert out == (
        f"Error: the lake at {str(lake)!r} is in lake format 1, this shopdb reads format 2: "
        "export or generate it into a new folder\n"
    )


def test_a_missing_partition_file(lake: Path) -> None:
    victim = sorted((lake / "order_items").rglob("*.parquet"))[3]
    victim.unlink()
    code, out = _run("query", "total_revenue", "--engine", "duckdb", "--lake", str(lake))
    assert code == 1
    name = victim.relative_to(lake)
    assert out == f"Error: the lake at {str(lake)!r} is missing its file {name}\n"


def test_a_corrupt_partition_file(lake: Path) -> None:
    victim = sorted((lake / "payments").rglob("*.parquet"))[2]
    victim.write_bytes(victim.read_bytes()[:100])
    code, out = _run("lake", "sql", str(lake), "select count(*) from payments")
    assert code == 1
    assert out.startswith(f"Error: the lake's file {victim.relative_to(lake)} is corrupt: ")
    assert out.count("\n") == 1


def test_export_refuses_a_folder_holding_other_files(
    db_url_text: str, shop_engine: Engine, tmp_path: Path
) -> None:
    target = tmp_path / "target"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    code, out = _run("--db", db_url_text, "lake", "export", "--out", str(target))
    assert code == 1
    assert out == f"Error: {str(target)!r} is not a lake and not empty: export into a new folder\n"
    assert sorted(p.name for p in target.iterdir() if not p.name.startswith(".")) == ["notes.txt"]


def test_the_engine_options_need_each_other(lake: Path) -> None:
    code, out = _run("query", "total_revenue", "--engine", "duckdb")
    assert code == 1
    assert out == "Error: --engine duckdb reads a lake: give --lake DIR\n"
    code, out = _run("query", "total_revenue", "--lake", str(lake))
    assert code == 1
    assert out == "Error: --lake and --spark-master need --engine duckdb or spark\n"


def test_spark_without_java_says_so(lake: Path, tmp_path: Path) -> None:
    runner = CliRunner(env={"PATH": str(tmp_path), "JAVA_HOME": None})
    args = ["query", "total_revenue", "--engine", "spark", "--lake", str(lake)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert result.output == (
        "Error: Spark needs Java and none is installed: install a Java runtime "
        "(Debian: apt-get install default-jre-headless) or set JAVA_HOME\n"
    )
    with pytest.raises(LakeError):
        require_java({"JAVA_HOME": str(tmp_path), "PATH": str(tmp_path)})
