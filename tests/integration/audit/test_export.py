"""Exports hold the database's content: CSV and SQL load back to identical checksums."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from audit_shop import build_shop, shop_rows
from click.testing import CliRunner
from sqlalchemy import insert, select

from shopdb.checksum import table_checksums
from shopdb.cli import cli
from shopdb.config import parse_database_url
from shopdb.db import schema as s
from shopdb.db.admin import init_schema
from shopdb.db.engine import make_engine
from shopdb.errors import InvalidInput, ShopError
from shopdb.export import EXPORT_TABLES, export_database, formats


def _url(engine):
    return engine.url.render_as_string(hide_password=False)


def _state(engine):
    """What an export must reproduce: the data checksums and the generation runs."""
    with engine.connect() as conn:
        runs = [tuple(r) for r in conn.execute(select(s.generation_runs).order_by("run_id"))]
    return table_checksums(engine), runs


def parse_csv(text):
    """Rows of CSV text as lists of fields; an unquoted empty field is None."""
    rows, row, field, was_quoted, in_quotes = [], [], [], False, False
    i = 0
    while i < len(text):
        ch = text[i]
        if in_quotes:
            if ch == '"' and text.startswith('"', i + 1):
                field.append('"')
                i += 1
            elif ch == '"':
                in_quotes = False
            else:
                field.append(ch)
        elif ch == '"':
            in_quotes = was_quoted = True
        elif ch in ",\n":
            value = "".join(field)
            row.append(value if value or was_quoted else None)
            field, was_quoted = [], False
            if ch == "\n":
                rows.append(row)
                row = []
        else:
            field.append(ch)
        i += 1
    return rows


def _value(column, text):
    if text is None:
        return None
    if isinstance(column.type, s.UtcDateTime):
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=UTC)
    if column.type.python_type is int:
        return int(text)
    return text


def test_csv_round_trip_gives_identical_checksums(shop_engine, other_db, tmp_path):
    export_database(shop_engine, "csv", tmp_path / "out")

    with other_db.begin() as conn:
        for table in EXPORT_TABLES:
            header, *lines = parse_csv((tmp_path / "out" / f"{table.name}.csv").read_text("utf-8"))
            columns = [table.c[name] for name in header]
            rows = [
                {c.name: _value(c, v) for c, v in zip(columns, line, strict=True)} for line in lines
            ]
            if rows:
                conn.execute(insert(table), rows)

    assert header == ["run_id", *[c.name for c in s.generation_runs.columns][1:]]
    assert _state(other_db) == _state(shop_engine)


def test_csv_quotes_strings_and_leaves_null_empty(shop_engine, tmp_path):
    export_database(shop_engine, "csv", tmp_path)

    users = (tmp_path / "users.csv").read_text("utf-8").splitlines()
    assert users[0] == "user_id,email,first_name,last_name,created_at,country_code,city"
    assert users[2] == (
        '2,"bob@example.com","Bob","O\'Brien",2024-01-01 11:00:00.000000,"IE",'
        '"Cork, ""rebel"" county"'
    )
    assert users[3].endswith(',"Zoë 🙂","Back\\slash",2024-01-01 12:00:00.000000,,')
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{t.name}.csv" for t in EXPORT_TABLES
    )


def test_parquet_holds_every_row_with_its_type(shop_engine, tmp_path):
    export_database(shop_engine, "parquet", tmp_path)

    expected = shop_rows()
    users = pq.read_table(tmp_path / "users.parquet")
    assert users.schema.field("user_id").type == pa.int64()
    assert users.schema.field("email").type == pa.string()
    assert users.schema.field("created_at").type == pa.timestamp("us", tz="UTC")
    for table in EXPORT_TABLES:
        got = pq.read_table(tmp_path / f"{table.name}.parquet").to_pylist()
        key = next(iter(table.primary_key.columns)).name
        want = sorted(expected[table.name], key=lambda row: row[key])
        assert got == [{k: v for k, v in row.items() if k != "parent_key"} for row in want]


def _load_with_client(engine, script):
    url = engine.url
    backend = engine.dialect.name
    env = dict(os.environ)
    if backend == "sqlite":
        command = ["sqlite3", "-bail", url.database]
    elif backend == "postgresql":
        env["PGPASSWORD"] = url.password or ""
        command = [
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            url.host,
            "-p",
            str(url.port or 5432),
            "-U",
            url.username,
            "-d",
            url.database,
        ]
    else:
        env["MYSQL_PWD"] = url.password or ""
        command = [
            "mysql",
            "-h",
            url.host,
            "-P",
            str(url.port or 3306),
            "-u",
            url.username,
            url.database,
        ]
    if shutil.which(command[0]) is None:
        pytest.skip(f"the {command[0]} client is not installed")
    with script.open("rb") as stdin:
        subprocess.run(command, stdin=stdin, env=env, check=True, capture_output=True)


def test_sql_script_loads_with_the_client_to_identical_checksums(
    shop_engine, other_db, tmp_path, shop_backend
):
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["--db", _url(shop_engine), "export", "--format", "sql", "--out", str(tmp_path / "out")],
    )
    assert result.exit_code == 0, result.output
    script = tmp_path / "out" / f"shopdb.{shop_backend}.sql"

    _load_with_client(other_db, script)

    assert _state(other_db) == _state(shop_engine)
    # the id sequences moved past the loaded ids: a new user gets the next id
    with other_db.begin() as conn:
        new_id = conn.execute(
            insert(s.users)
            .values(
                email="new@example.com",
                first_name="N",
                last_name="N",
                created_at=datetime(2024, 5, 1, tzinfo=UTC),
            )
            .returning(s.users.c.user_id)
        ).scalar_one()
    assert new_id == 4


def test_sql_script_for_mysql_escapes_backslashes(shop_engine, tmp_path):
    export_database(shop_engine, "sql", tmp_path, dialect="mysql")
    script = (tmp_path / "shopdb.mysql.sql").read_text("utf-8")

    assert (
        "(3, 'zoe@example.com', 'Zoë 🙂', 'Back\\\\slash', "
        "'2024-01-01 12:00:00.000000', NULL, NULL)" in script
    )
    assert "'O''Brien'" in script
    assert script.index("INSERT INTO users") < script.index("INSERT INTO orders")
    assert script.index("INSERT INTO orders") < script.index("INSERT INTO order_items")
    assert script.rstrip().endswith("COMMIT;")


@pytest.mark.parametrize("target", ["file", "below_file", "proc"])
def test_bad_output_directory_writes_nothing(shop_engine, tmp_path, target):
    (tmp_path / "taken").write_text("keep")
    out = {
        "file": tmp_path / "taken",
        "below_file": tmp_path / "taken" / "sub",
        "proc": Path("/proc/shopdb-audit-export"),
    }[target]
    before = sorted(tmp_path.rglob("*"))

    result = CliRunner().invoke(
        cli, ["--db", _url(shop_engine), "export", "--format", "csv", "--out", str(out)]
    )

    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert str(out) in result.output
    assert sorted(tmp_path.rglob("*")) == before
    assert (tmp_path / "taken").read_text() == "keep"
    assert not out.exists() or out == tmp_path / "taken"


def test_unknown_format_writes_nothing(shop_engine, tmp_path):
    with pytest.raises(InvalidInput, match="unknown export format 'xml'"):
        export_database(shop_engine, "xml", tmp_path / "out")
    result = CliRunner().invoke(
        cli, ["--db", _url(shop_engine), "export", "--format", "xml", "--out", str(tmp_path)]
    )

    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.output
    assert list(tmp_path.iterdir()) == []


def test_failed_export_removes_the_directory_it_created(empty_engine, tmp_path):
    with empty_engine.connect():  # an existing, empty database (SQLite: the file exists)
        pass
    out = tmp_path / "new" / "out"

    result = CliRunner().invoke(
        cli, ["--db", _url(empty_engine), "export", "--format", "parquet", "--out", str(out)]
    )

    assert result.exit_code == 1
    assert result.output == "Error: the database holds no shopdb schema: run 'shopdb init' first\n"
    assert not (tmp_path / "new").exists()


def test_failure_part_way_leaves_no_file(shop_engine, tmp_path, monkeypatch):
    (tmp_path / "keep.txt").write_text("keep")
    real_write = formats.write_csv
    written = []

    def write_then_fail(conn, table, path):
        if len(written) == 3:  # as if the disk filled up on the fourth table
            raise OSError(28, "No space left on device")
        written.append(real_write(conn, table, path))
        return written[-1]

    monkeypatch.setattr(formats, "write_csv", write_then_fail)

    with pytest.raises(ShopError, match=r"cannot write the export to .*: No space left on device"):
        export_database(shop_engine, "csv", tmp_path)

    assert len(written) == 3
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_sql_script_from_sqlite_loads_into_each_backend(engine, backend, tmp_path):
    # the usual path for a user of the mysql or psql client: a SQLite shop, exported
    # for the server's dialect
    source = make_engine(parse_database_url(f"sqlite:///{tmp_path / 'source.sqlite3'}"))
    try:
        init_schema(source)
        build_shop(source)
        export_database(source, "sql", tmp_path / "out", dialect=backend)
        expected = _state(source)
    finally:
        source.dispose()

    _load_with_client(engine, tmp_path / "out" / f"shopdb.{backend}.sql")

    assert _state(engine) == expected
