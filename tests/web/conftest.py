"""Fixtures for the dashboard's test-client tests.

``read_shop`` is one generated tiny shop per backend for the whole session (pages that
only read); tests that act get a fresh database with a few orders made by the services.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import URL, Engine

from dbservers import BACKENDS, create_database, drop_database
from shopdb.datagen.generate import generate
from shopdb.datagen.params import make_params
from shopdb.db.admin import init_schema
from shopdb.db.engine import make_engine
from shopdb.services import create_category, create_product, place_order, register_user
from webshop import END, TestClient, add_staff, client_for


@pytest.fixture(scope="session", params=BACKENDS)
def read_shop(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[URL]:
    """A generated tiny shop (100 users, 1,000 orders) with staff, per backend."""
    url, name = create_database(str(request.param), tmp_path_factory.mktemp("webshop"))
    engine = make_engine(url)
    try:
        init_schema(engine)
        generate(engine, make_params(11, 0.001, END, 2))
        add_staff(engine)
    finally:
        engine.dispose()
    yield url
    if name is not None:
        drop_database(str(request.param), name)


@pytest.fixture
def read_engine(read_shop: URL) -> Iterator[Engine]:
    """An engine on the read-only shop, for the expected answers."""
    engine = make_engine(read_shop)
    yield engine
    engine.dispose()


@pytest.fixture
def admin_client(read_shop: URL) -> Iterator[TestClient]:
    """A client logged in as the admin on the read-only shop."""
    yield from client_for(read_shop, "admin@example.com")


@pytest.fixture
def small_shop(engine: Engine) -> Engine:
    """A fresh database with staff, two products and three pending orders."""
    add_staff(engine)
    category = create_category(engine, "Tools")
    for sku, price in (("DRILL-1", 4999), ("SAW-1", 2500)):
        create_product(
            engine,
            category_id=category,
            sku=sku,
            name=f"Product {sku}",
            price_cents=price,
            quantity=10,
        )
    user = register_user(engine, "buyer@example.com", "Ada", "Buyer")
    for quantities in ({1: 1}, {1: 2, 2: 1}, {2: 3}):
        place_order(engine, user, quantities)
    return engine


@pytest.fixture
def shop_url(small_shop: Engine) -> URL:
    """The small shop's URL."""
    return small_shop.url
