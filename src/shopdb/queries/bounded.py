"""Running an analytics query under a statement timeout, for callers that must not wait long."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from shopdb.db.timeouts import is_timeout, statement_timeout
from shopdb.errors import QueryTimeout
from shopdb.queries.runner import QueryResult, run_query


def run_bounded(
    engine: Engine, name: str, timeout_s: float, *, source: str = "auto", **params: Any
) -> QueryResult:
    """``run_query`` in one read-only transaction, cancelled after ``timeout_s`` seconds.

    Raises:
        QueryTimeout: the query ran longer; the database cancelled it (nothing is written).
        InvalidInput, NotFound: as ``run_query``.
    """
    with engine.connect() as conn, conn.begin():
        try:
            with statement_timeout(conn, timeout_s):
                return run_query(conn, name, source=source, **params)
        except DBAPIError as exc:
            if is_timeout(exc):
                raise QueryTimeout(
                    f"query {name!r} ran longer than {timeout_s:g} s and was cancelled"
                ) from None
            raise
