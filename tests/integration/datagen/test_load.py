"""The bulk loaders refuse rows that break a constraint, on every backend."""

from __future__ import annotations

import numpy as np
import pytest
from conftest_datagen import count
from sqlalchemy.exc import DBAPIError

from shopdb.datagen.frames import NULL, Frame
from shopdb.datagen.load import BulkSession, LoadError


def _category() -> Frame:
    names = np.array(["Books"], dtype=object)
    return Frame(
        "categories", {"category_id": np.array([1]), "name": names, "parent_id": np.array([NULL])}
    )


def _product(price_cents: int, category_id: int = 1) -> Frame:
    return Frame(
        "products",
        {
            "product_id": np.array([1]),
            "category_id": np.array([category_id]),
            "sku": np.array(["BOO-TEST-000001"], dtype=object),
            "name": np.array(["Test Book"], dtype=object),
            "price_cents": np.array([price_cents]),
            "created_at": np.array([1_700_000_000]),
            "brand": np.array([None], dtype=object),
        },
    )


@pytest.mark.parametrize(
    "bad", [_product(-100), _product(100, category_id=99)], ids=["check", "foreign_key"]
)
def test_a_row_breaking_a_constraint_fails_the_load(engine, bad):
    session = BulkSession(engine)
    try:
        session.prepare()
        session.write([_category()])
        with pytest.raises((LoadError, DBAPIError)):
            # MariaDB and PostgreSQL refuse the row as it lands, SQLite when the load ends
            session.write([bad])
            session.finish()
        session.restore()
    finally:
        session.close()
    assert count(engine, "categories") == 1


def test_loaded_rows_read_back_as_written(engine):
    session = BulkSession(engine)
    try:
        session.prepare()
        session.write([_category(), _product(1_999)])
        session.finish()
    finally:
        session.close()
    with engine.connect() as conn:
        row = conn.exec_driver_sql("select sku, price_cents, brand, created_at from products").one()
    assert row[0] == "BOO-TEST-000001"
    assert row[1] == 1_999
    assert row[2] is None
    assert str(row[3]).startswith("2023-11-14 22:13:20")
