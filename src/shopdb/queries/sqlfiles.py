"""Loading the SQL files of the analytics and the audit: one loader, one set of fragments.

A package's ``sql/<name>.sql`` is read once, its ``{fragments}`` (see ``fragments.py``)
expanded for the backend it will run on, and returned without surrounding blank space
or a trailing semicolon, ready to wrap in a subquery or to bind.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from shopdb.queries import fragments


@cache
def load_sql(package: str, name: str, dialect: str) -> str:
    """The SQL of ``sql/<name>.sql`` in ``package`` as it runs on ``dialect``.

    Raises:
        FileNotFoundError: the package has no such file.
        ValueError: the file uses an unknown or malformed fragment.
    """
    source = resources.files(package).joinpath("sql", f"{name}.sql")
    sql = fragments.expand(source.read_text(encoding="utf-8"), dialect)
    return sql.strip().rstrip(";").rstrip()
