"""Which backend a URL or dialect is: mariadb is mysql, an unknown name is refused."""

import pytest
from sqlalchemy.dialects import mysql, postgresql, sqlite

from shopdb.config import parse_database_url
from shopdb.db.backend import NAMES, backend_name, backend_named, backend_of


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///shop.db", "sqlite"),
        ("mariadb://root@127.0.0.1/shop", "mysql"),
        ("mysql://root@127.0.0.1/shop", "mysql"),
        ("postgres://postgres@127.0.0.1/shop", "postgresql"),
    ],
)
def test_a_url_names_one_of_three_backends(url, expected):
    assert backend_name(parse_database_url(url)) == expected


def test_a_mariadb_dialect_is_the_mysql_backend():
    dialect = mysql.dialect()
    dialect.name = "mariadb"

    assert backend_of(dialect).name == "mysql"
    assert backend_named("mariadb") is backend_named("mysql")


def test_each_backend_compiles_with_its_own_dialect():
    dialects = [type(backend_named(name).dialect()) for name in NAMES]

    assert dialects == [sqlite.dialect, mysql.dialect, postgresql.dialect]


def test_an_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="unknown backend 'oracle': use one of sqlite, mysql"):
        backend_named("oracle")


def test_only_the_servers_ask_for_a_snapshot_isolation_level():
    levels = {name: backend_named(name).snapshot_isolation for name in NAMES}

    assert levels == {"sqlite": None, "mysql": "REPEATABLE READ", "postgresql": "REPEATABLE READ"}
