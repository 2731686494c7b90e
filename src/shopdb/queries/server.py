"""Whether the server is set up to run analytics over this shop's data size.

MariaDB's defaults (a 128 MiB buffer pool, 16 MiB in-memory temporary tables) make any
query over a shop bigger than the pool read from disk, several times slower; that is
the server's configuration, not the query's, so it is said once rather than hidden.
docs/queries-bench.md ("Server settings") lists what a shop should run analytics with.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from shopdb.db.backend import MYSQL, backend_name

MIN_POOL_SHARE = 0.5
"""The buffer pool should hold at least this share of the shop's tables and indexes."""


def undersized_settings(conn: Connection, min_share: float = MIN_POOL_SHARE) -> str | None:
    """One line saying the buffer pool is far below the data's size, or None.

    Only MariaDB/MySQL is judged: PostgreSQL reads through the operating system's page
    cache, and SQLite runs in-process.
    """
    if backend_name(conn) != MYSQL:
        return None
    pool = int(conn.execute(text("select @@innodb_buffer_pool_size")).scalar_one())
    data = int(
        conn.execute(
            text(
                "select coalesce(sum(data_length + index_length), 0)"
                " from information_schema.tables where table_schema = database()"
            )
        ).scalar_one()
    )
    if pool >= data * min_share:
        return None
    return (
        f"note: innodb_buffer_pool_size is {pool / 2**20:,.0f} MiB but this shop's tables "
        f"and indexes take {data / 2**20:,.0f} MiB, so analytics read from disk; see "
        "docs/queries-bench.md, 'Server settings'"
    )
