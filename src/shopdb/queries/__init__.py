"""The analytics suite: named, parameterised SQL queries identical on every backend.

For notebooks::

    from shopdb.queries import run_query
    result = run_query(engine, "top_customers", limit=5)
    result.columns, result.rows

Every query, its columns and its parameters: ``QUERIES`` (or ``shopdb query --list``).
"""

from __future__ import annotations

from shopdb.queries.registry import Column, QuerySpec
from shopdb.queries.runner import (
    QUERIES,
    QueryResult,
    explain,
    get_query,
    reads_rollups,
    run_query,
    sql_text,
)

__all__ = [
    "QUERIES",
    "Column",
    "QueryResult",
    "QuerySpec",
    "explain",
    "get_query",
    "reads_rollups",
    "run_query",
    "sql_text",
]
