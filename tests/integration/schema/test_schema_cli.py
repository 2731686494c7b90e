"""The schema commands through the real ``shopdb`` CLI: init, reset, schema, erd, --help,
--version, and the one-line errors for every kind of bad database URL."""

from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, insert, inspect, select, text
from sqlalchemy.engine import URL, Connection, Engine

from dbservers import skip_or_fail
from shopdb.cli import cli
from shopdb.db.admin import existing_shop_tables, schema_version
from shopdb.db.schema import SCHEMA_VERSION, metadata, users

REPO = Path(__file__).resolve().parents[3]
SHOPDB = Path(sys.executable).parent / "shopdb"
SHOP_TABLE_COUNT = len(metadata.tables)


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(
        cli, list(args), env=env or {"SHOPDB_DATABASE_URL": ""}, prog_name="shopdb"
    )


def one_line_error(result: Result) -> str:
    assert result.exit_code != 0
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def _user_row(n: int = 1) -> dict[str, object]:
    return dict(user_id=n, email=f"u{n}@example.com", first_name="A", last_name="B")


def _count_users(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(users)).scalar_one())


def test_init_creates_the_schema_and_a_second_init_changes_nothing(
    db_url_text: str, empty_engine: Engine
) -> None:
    first = run("--db", db_url_text, "init")
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith(f"created {SHOP_TABLE_COUNT} tables in ")
    with empty_engine.begin() as conn:
        conn.execute(insert(users).values(**_user_row()))

    error = one_line_error(run("--db", db_url_text, "init"))

    assert "already holds shopdb tables" in error
    assert _count_users(empty_engine) == 1
    with empty_engine.connect() as conn:
        assert schema_version(conn) == SCHEMA_VERSION
        assert len(existing_shop_tables(conn)) == SHOP_TABLE_COUNT


# an object of another application that takes a name shopdb needs, so creation fails
# part-way: index names are per-schema on PostgreSQL and SQLite, foreign-key names
# per-database on MariaDB
_COLLIDING = {
    "sqlite": [
        "CREATE TABLE legacy (id INTEGER)",
        "CREATE INDEX ix_orders_created_at ON legacy (id)",
    ],
    "postgresql": [
        "CREATE TABLE legacy (id INTEGER)",
        "CREATE INDEX ix_orders_created_at ON legacy (id)",
    ],
    "mysql": [
        "CREATE TABLE legacy_parent (id INTEGER PRIMARY KEY) ENGINE=InnoDB",
        "CREATE TABLE legacy (id INTEGER, p INTEGER, CONSTRAINT fk_order_items_order_id"
        " FOREIGN KEY (p) REFERENCES legacy_parent (id)) ENGINE=InnoDB",
    ],
}


def test_init_that_fails_part_way_leaves_no_shopdb_table(
    backend: str, db_url_text: str, empty_engine: Engine
) -> None:
    with empty_engine.begin() as conn:
        for statement in _COLLIDING[backend]:
            conn.execute(text(statement))

    error = one_line_error(run("--db", db_url_text, "init"))

    assert "could not create the schema" in error
    with empty_engine.connect() as conn:
        assert existing_shop_tables(conn) == []
        assert "legacy" in inspect(conn).get_table_names()


def test_reset_asks_for_yes_then_recreates_only_shopdb_tables(
    db_url_text: str, empty_engine: Engine
) -> None:
    with empty_engine.begin() as conn:
        conn.execute(text("CREATE TABLE legacy_notes (note VARCHAR(20))"))
        conn.execute(text("INSERT INTO legacy_notes (note) VALUES ('keep me')"))
    assert run("--db", db_url_text, "init").exit_code == 0
    with empty_engine.begin() as conn:
        conn.execute(insert(users).values(**_user_row()))

    # no terminal to ask (CliRunner's stdin is not a tty): refused, nothing deleted
    assert "--yes" in one_line_error(run("--db", db_url_text, "reset"))
    assert _count_users(empty_engine) == 1

    result = run("--db", db_url_text, "reset", "--yes")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"reset {SHOP_TABLE_COUNT} tables in ")
    assert _count_users(empty_engine) == 0
    with empty_engine.connect() as conn:
        assert schema_version(conn) == SCHEMA_VERSION
        assert len(existing_shop_tables(conn)) == SHOP_TABLE_COUNT
        assert conn.execute(text("SELECT note FROM legacy_notes")).scalars().all() == ["keep me"]


def test_migrate_keeps_a_current_schema_and_its_rows(db_url_text: str, engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(insert(users).values(**_user_row()))

    result = run("--db", db_url_text, "migrate")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"schema already at revision {SCHEMA_VERSION} in ")
    assert _count_users(engine) == 1


def test_migrate_refuses_a_database_without_shopdb(db_url_text: str, empty_engine: Engine) -> None:
    with empty_engine.connect():  # an existing, empty database (SQLite: the file exists)
        pass
    error = one_line_error(run("--db", db_url_text, "migrate"))

    assert "run 'shopdb init' first" in error
    with empty_engine.connect() as conn:
        assert inspect(conn).get_table_names() == []


@pytest.mark.parametrize("dialect", ["sqlite", "mysql", "postgresql"])
def test_schema_prints_the_committed_ddl(dialect: str) -> None:
    result = run("schema", "--dialect", dialect)

    assert result.exit_code == 0
    assert result.stdout == (REPO / "schema" / f"{dialect}.sql").read_text()


@pytest.mark.parametrize(("fmt", "path"), [("mermaid", "erd.mmd"), ("dot", "erd.dot")])
def test_erd_prints_the_committed_diagram(fmt: str, path: str) -> None:
    result = run("erd", "--format", fmt)

    assert result.exit_code == 0
    assert result.stdout == (REPO / "docs" / path).read_text()


def _svg_titles(svg: str) -> set[str]:
    root = ET.fromstring(svg)
    return {el.text or "" for el in root.iter("{http://www.w3.org/2000/svg}title")}


def test_erd_svg_is_well_formed_and_shows_every_table() -> None:
    if shutil.which("dot") is None:
        skip_or_fail("Graphviz's 'dot' is not installed (apt-get install graphviz) to render SVG")
    tables = set(metadata.tables) - {"alembic_version"}
    result = run("erd", "--format", "svg")

    assert result.exit_code == 0, result.output
    assert tables <= _svg_titles(result.stdout)


def test_committed_erd_svg_is_well_formed_and_shows_every_table() -> None:
    tables = set(metadata.tables) - {"alembic_version"}
    assert tables <= _svg_titles((REPO / "docs" / "erd.svg").read_text())


def test_erd_svg_without_graphviz_is_a_one_line_error(tmp_path: Path) -> None:
    result = run("erd", "--format", "svg", env={"SHOPDB_DATABASE_URL": "", "PATH": str(tmp_path)})

    assert one_line_error(result) == (
        "Error: rendering SVG needs Graphviz's 'dot' program (apt-get install graphviz)"
    )


def test_database_url_comes_from_db_then_environment_then_default() -> None:
    mysql_env = {"SHOPDB_DATABASE_URL": "mysql://u@h/d"}
    assert "AUTO_INCREMENT" in run("schema", env=mysql_env).stdout
    assert "AUTO_INCREMENT" not in run("--db", "sqlite:///x.db", "schema", env=mysql_env).stdout
    assert "BIGSERIAL" in run("--db", "postgres://u@h/d", "schema", env=mysql_env).stdout
    default = run("schema")
    assert default.exit_code == 0
    assert "AUTO_INCREMENT" not in default.stdout and "BIGSERIAL" not in default.stdout


def test_version_is_the_installed_package_version() -> None:
    result = run("--version")

    assert result.exit_code == 0
    assert result.stdout == f"shopdb, version {importlib.metadata.version('shopdb')}\n"


def _command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            paths += _command_paths(command, (*prefix, name))
        else:
            paths.append((*prefix, name))
    return paths


@pytest.mark.parametrize("path", _command_paths(cli), ids=lambda p: " ".join(p) or "shopdb")
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]

    result = run(*path, "--help")

    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: {' '.join(('shopdb', *path))}")
    assert (command.help or "").strip(), f"{' '.join(path)} has no help text"


def _assert_one_line_failure(result: Result, *words: str) -> None:
    # SystemExit means click ended the command; any other exception would be a traceback
    assert isinstance(result.exception, SystemExit), result.exception
    line = one_line_error(result)
    for word in words:
        assert word in line


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("shop.sqlite3", ("malformed database URL",)),
        ("oracle://scott@db.example/orcl", ("unknown database scheme 'oracle'",)),
        ("mysql://root@127.0.0.1", ("no database name",)),
    ],
    ids=["no-scheme", "unknown-scheme", "no-database"],
)
def test_malformed_url_is_one_line_and_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str, words: tuple[str, ...]
) -> None:
    monkeypatch.chdir(tmp_path)

    _assert_one_line_failure(run("--db", url, "init"), *words)

    assert list(tmp_path.iterdir()) == []


def test_sqlite_file_in_a_missing_directory_is_one_line_and_creates_nothing(
    tmp_path: Path,
) -> None:
    target = tmp_path / "missing" / "dir" / "shop.sqlite3"

    result = run("--db", f"sqlite:///{target}", "init")

    _assert_one_line_failure(result, "cannot open the SQLite database")
    assert list(tmp_path.iterdir()) == []


def test_the_installed_command_prints_no_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(SHOPDB), "--db", "oracle://scott@db.example/orcl", "init"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin"},
    )

    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("Error: unknown database scheme 'oracle'")
    assert done.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def _server_cases(url: URL) -> dict[str, tuple[URL, str]]:
    missing = f"shopdb_test_missing_{uuid.uuid4().hex[:8]}"
    return {
        "unreachable": (url.set(host="127.0.0.1", port=1), "cannot reach the database server"),
        "missing-database": (url.set(database=missing), f"database '{missing}' does not exist"),
        "wrong-credentials": (
            url.set(username="shopdb_no_such_user", password="wrong"),
            "refused the credentials for 'shopdb_no_such_user'",
        ),
    }


# SQLite has no server; the module's shared database gives the server's address
@pytest.mark.parametrize("shop", ["mysql", "postgresql"], indirect=True)
@pytest.mark.parametrize("case", ["unreachable", "missing-database", "wrong-credentials"])
def test_server_connection_failure_is_one_line_and_creates_nothing(shop: Engine, case: str) -> None:
    url, words = _server_cases(shop.url)[case]

    result = run("--db", url.render_as_string(hide_password=False), "init")

    _assert_one_line_failure(result, words)
    if case == "missing-database":
        with shop.connect() as conn:
            assert url.database not in _databases(conn, shop.dialect.name)


def _databases(conn: Connection, backend: str) -> set[str]:
    query = "SELECT datname FROM pg_database" if backend == "postgresql" else "SHOW DATABASES"
    return set(conn.execute(text(query)).scalars())


def test_reset_drops_a_category_tree(engine: Engine, db_url_text: str) -> None:
    from sqlalchemy import func, insert, select

    from shopdb.db.schema import categories

    with engine.begin() as conn:
        conn.execute(insert(categories).values(category_id=1, name="Electronics"))
        conn.execute(insert(categories).values(category_id=2, name="Laptops", parent_id=1))

    result = run("--db", db_url_text, "reset", "--yes")

    assert result.exit_code == 0, result.output
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(categories)).scalar_one() == 0


def test_reset_keeps_staff_accounts_and_api_keys_unless_told(
    db_url_text: str, empty_engine: Engine
) -> None:
    from shopdb.services.api_keys import authenticate as key_owner
    from shopdb.services.api_keys import create_api_key
    from shopdb.services.staff import authenticate, create_staff

    assert run("--db", db_url_text, "init").exit_code == 0
    password = "correct-horse-battery"
    staff_id = create_staff(empty_engine, "ann@example.com", "admin", password)
    key, secret = create_api_key(empty_engine, "clerk", label="till")
    with empty_engine.begin() as conn:
        conn.execute(insert(users).values(**_user_row()))

    result = run("--db", db_url_text, "reset", "--yes")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == "kept 1 staff account and 1 API key"
    assert _count_users(empty_engine) == 0
    account = authenticate(empty_engine, "ann@example.com", password)
    assert account is not None and account.staff_id == staff_id  # sessions stay valid
    owner = key_owner(empty_engine, secret)
    assert owner is not None and owner.api_key_id == key.api_key_id and owner.label == "till"
    # ids continue after the kept rows (PostgreSQL's sequences were moved past them)
    assert create_staff(empty_engine, "bob@example.com", "clerk", password) > staff_id

    dropped = run("--db", db_url_text, "reset", "--yes", "--drop-access")

    assert dropped.exit_code == 0, dropped.output
    assert dropped.stdout.splitlines()[1] == "no staff account or API key to keep"
    assert authenticate(empty_engine, "ann@example.com", password) is None
    assert key_owner(empty_engine, secret) is None
