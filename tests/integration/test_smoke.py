"""The schema can be created on every backend."""

from sqlalchemy import inspect

from shopdb.db.admin import SHOP_TABLES, schema_version
from shopdb.db.schema import SCHEMA_VERSION


def test_init_creates_every_table_and_records_version(engine):
    with engine.connect() as conn:
        assert set(SHOP_TABLES) <= set(inspect(conn).get_table_names())
        assert schema_version(conn) == SCHEMA_VERSION
