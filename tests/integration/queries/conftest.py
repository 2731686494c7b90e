"""Fixtures for the query tests: the tiny shop (analytics_tiny_shop) on every backend.

The queries only read, so each test module builds the shop once per backend, in a
database made and dropped by ``dbservers.schema_engine``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from analytics_tiny_shop import load_tiny_shop
from sqlalchemy.engine import Engine

from dbservers import BACKENDS, schema_engine


@dataclass
class TinyShop:
    """The tiny shop on one backend: its engine and its URL as ``--db`` takes it."""

    backend: str
    engine: Engine
    url: str


@pytest.fixture(scope="module", params=BACKENDS)
def shop(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TinyShop]:
    """The tiny shop on each backend, shared by one module's tests (they only read)."""
    backend = str(request.param)
    with schema_engine(backend, tmp_path_factory.mktemp("tiny_shop")) as (engine, url):
        load_tiny_shop(engine)
        yield TinyShop(backend, engine, url.render_as_string(hide_password=False))


@pytest.fixture
def tiny_shop(shop: TinyShop) -> Engine:
    """The tiny shop's engine."""
    return shop.engine
