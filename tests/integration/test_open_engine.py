"""``open_engine``: the one way a front end gets an engine from settings."""

import pytest
from sqlalchemy import text

from shopdb.config import load_settings
from shopdb.db.engine import open_engine
from shopdb.errors import ConnectError, SchemaError


def test_a_missing_sqlite_file_is_refused_and_not_created(tmp_path):
    path = tmp_path / "absent.sqlite3"

    with pytest.raises(SchemaError, match=f"no SQLite database at {path}"):
        open_engine(load_settings({}, f"sqlite:///{path}"))

    assert not path.exists()


def test_create_makes_the_sqlite_file(tmp_path):
    path = tmp_path / "new.sqlite3"

    engine = open_engine(load_settings({}, f"sqlite:///{path}"), create=True)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("pragma foreign_keys")).scalar_one() == 1
    finally:
        engine.dispose()

    assert path.exists()


def test_an_unreachable_server_is_one_line_connect_error():
    # port 9 (discard) on the loopback: nothing listens there
    settings = load_settings({}, "postgresql://postgres@127.0.0.1:9/shop")

    with pytest.raises(ConnectError) as raised:
        open_engine(settings)

    assert str(raised.value) == (
        "cannot reach the database server at 127.0.0.1:9 "
        "(postgresql+psycopg://postgres@127.0.0.1:9/shop)"
    )


def test_the_engine_opened_for_a_server_database_is_connected(db_url, backend):
    if backend == "sqlite":
        pytest.skip("the SQLite cases above cover the file")
    settings = load_settings({}, db_url.render_as_string(hide_password=False))

    engine = open_engine(settings)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("select 1")).scalar_one() == 1
    finally:
        engine.dispose()
