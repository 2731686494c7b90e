"""A catalogue query's session on MariaDB: its GROUP BY gets room in memory while it runs,
and the pooled connection goes back with the server's defaults."""

from __future__ import annotations

from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from shopdb.db.backend import MYSQL_TEMP_TABLE_BYTES, backend_of
from shopdb.db.grouping import room_to_group
from shopdb.queries import run_query


def _sizes(conn) -> tuple[int, int]:
    row = conn.execute(text("select @@session.tmp_table_size, @@session.max_heap_table_size"))
    first, second = row.one()
    return int(first), int(second)


def test_a_query_widens_temporary_tables_on_mariadb_only_while_it_runs(engine: Engine) -> None:
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))

    with engine.connect() as conn:
        run_query(conn, "order_status_funnel")
        if not backend_of(engine).widens_temp_tables:
            assert not any("tmp_table_size" in s for s in statements)
            return
        defaults = _sizes(conn)
        with room_to_group(conn):
            assert _sizes(conn) == (MYSQL_TEMP_TABLE_BYTES, MYSQL_TEMP_TABLE_BYTES)
        assert _sizes(conn) == defaults != (MYSQL_TEMP_TABLE_BYTES, MYSQL_TEMP_TABLE_BYTES)
    widened = [i for i, s in enumerate(statements) if "tmp_table_size = 268435456" in s]
    query = next(i for i, s in enumerate(statements) if "order_status" in s.lower())
    assert widened and widened[0] < query  # the query itself ran with the room
