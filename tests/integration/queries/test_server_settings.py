"""``shopdb query`` says once, on stderr, when MariaDB's buffer pool is far below the data."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from shopdb.queries.server import undersized_settings


def test_a_pool_far_below_the_data_is_reported_on_mariadb_only(tiny_shop: Engine) -> None:
    with tiny_shop.connect() as conn:
        roomy = undersized_settings(conn)
        # a pool that had to hold a billion times the data is always too small
        cramped = undersized_settings(conn, min_share=1e9)

    assert roomy is None  # the tiny shop fits any buffer pool
    if tiny_shop.dialect.name in ("mysql", "mariadb"):
        assert cramped is not None
        assert cramped.startswith("note: innodb_buffer_pool_size is ")
        assert "docs/queries-bench.md" in cramped
    else:
        assert cramped is None
