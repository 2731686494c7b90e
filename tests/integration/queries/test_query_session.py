"""A catalogue query's session: on MariaDB its GROUP BY gets room in memory while it runs,
on PostgreSQL a rollup read plans no parallel workers, and the pooled connection goes
back with the server's defaults."""

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


def _parallel_workers(conn) -> str:
    return str(conn.execute(text("show max_parallel_workers_per_gather")).scalar_one())


def test_a_rollup_read_plans_no_parallel_workers_on_postgresql_only(engine: Engine) -> None:
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    setting = backend_of(engine).parallel_workers_setting

    with engine.connect() as conn:
        run_query(conn, "best_selling_products", source="rollup")
        rollup_read = list(statements)
        statements.clear()
        run_query(conn, "best_selling_products", source="base")
        base_read = list(statements)
        if setting is None:
            assert not any("parallel" in s for s in rollup_read + base_read)
            return
        default = _parallel_workers(conn)
    run_query(engine, "best_selling_products", source="rollup")  # autocommit, pooled
    with engine.connect() as conn:
        assert _parallel_workers(conn) == default != "0"

    off = [i for i, s in enumerate(rollup_read) if s == f"SET {setting} = 0"]
    query = next(i for i, s in enumerate(rollup_read) if "product_sales" in s)
    back = [i for i, s in enumerate(rollup_read) if s == f"RESET {setting}"]
    assert off and back and off[0] < query < back[0]
    assert not any(setting in s for s in base_read)  # a scan of the orders keeps them
