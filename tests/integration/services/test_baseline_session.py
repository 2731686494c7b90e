"""The bare-driver baseline runs on the engine's own session settings, so it cannot drift."""

from shopdb.workload.baseline import connect

_SESSION = {
    "sqlite": ("pragma foreign_keys", (1,)),
    "mysql": (
        "select @@session.time_zone, @@session.sql_mode like '%%STRICT_ALL_TABLES%%'",
        ("+00:00", 1),
    ),
    "postgresql": ("show timezone", ("UTC",)),
}


def test_the_baseline_connection_has_the_engines_session(engine, backend):
    query, expected = _SESSION[backend]
    conn = connect(engine)
    try:
        cursor = conn.cursor()
        cursor.execute(query)
        row = tuple(cursor.fetchone())
        cursor.close()
    finally:
        conn.close()

    assert row == expected
