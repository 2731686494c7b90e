"""``utc_now()``: the database's current time in UTC, as each backend spells it.

``CURRENT_TIMESTAMP`` is not enough for a column that stores naive UTC: PostgreSQL
converts it to the session's time zone and MariaDB returns the session's local time, so a
client connected with another time zone (a ``psql`` or ``mariadb`` shell) would store
local time. SQLite's ``CURRENT_TIMESTAMP`` is UTC but has whole seconds and a text form
(``2024-05-01 12:00:00``) that sorts before the form SQLAlchemy writes
(``2024-05-01 12:00:00.000000``), so defaults and bound values would compare wrongly.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class utc_now(FunctionElement[Any]):
    """The current UTC time as a naive timestamp, for server defaults and updates.

    Within one transaction PostgreSQL returns the transaction's start time; MariaDB
    and SQLite return the statement's time.
    """

    type = DateTime()
    inherit_cache = True


@compiles(utc_now)
def _utc_now_default(element: utc_now, compiler: SQLCompiler, **kw: Any) -> str:
    return "CURRENT_TIMESTAMP"


@compiles(utc_now, "sqlite")
def _utc_now_sqlite(element: utc_now, compiler: SQLCompiler, **kw: Any) -> str:
    # milliseconds padded to the six fraction digits SQLAlchemy writes
    return "strftime('%Y-%m-%d %H:%M:%f000', 'now')"


@compiles(utc_now, "mysql")
@compiles(utc_now, "mariadb")
def _utc_now_mysql(element: utc_now, compiler: SQLCompiler, **kw: Any) -> str:
    return "utc_timestamp(6)"


@compiles(utc_now, "postgresql")
def _utc_now_postgresql(element: utc_now, compiler: SQLCompiler, **kw: Any) -> str:
    return "timezone('UTC', now())"
