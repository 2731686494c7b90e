"""The API under test: a tiny shop on every backend, and the app's TestClient on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_support import SECRET, Shop, TestClient, create_shop
from sqlalchemy.engine import URL, Engine

from shopdb.api.app import create_app
from shopdb.api.config import ApiConfig
from shopdb.config import load_settings


@pytest.fixture
def shop(engine: Engine) -> Shop:
    """The engine's database holding the tiny shop and a key per role."""
    return create_shop(engine)


@pytest.fixture
def client(shop: Shop, db_url: URL) -> Iterator[TestClient]:
    """The API on the shop's database, through the app (lifespan included)."""
    settings = load_settings({}, db_url.render_as_string(hide_password=False))
    app = create_app(settings, ApiConfig(secret=SECRET))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
