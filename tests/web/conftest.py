"""Fixtures for the dashboard: an app with the lifespan engine, staff accounts, logins.

``read_shop`` is one generated tiny shop per backend for the whole session (pages that
only read); tests that act get a fresh database with a few orders made by the services.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from sqlalchemy import insert
from sqlalchemy.engine import URL, Engine

from dbservers import BACKENDS, create_database, drop_database
from shopdb.config import Settings
from shopdb.datagen.generate import generate
from shopdb.datagen.params import make_params
from shopdb.db.admin import init_schema
from shopdb.db.engine import make_engine, open_engine
from shopdb.db.schema import staff_accounts
from shopdb.db.types import utcnow
from shopdb.services import create_category, create_product, place_order, register_user
from shopdb.web import mount
from shopdb.web.security import LoginThrottle

with warnings.catch_warnings():
    # this Starlette warns that httpx is deprecated for its test client; both are pinned
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient

PASSWORD = "correct-horse-battery"
END = datetime(2025, 11, 26, tzinfo=UTC).date()


def build_app(url: URL, throttle: LoginThrottle | None = None) -> FastAPI:
    """The dashboard on a bare FastAPI app whose lifespan opens the engine."""
    settings = Settings(database_url=url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        app.state.engine = open_engine(settings)
        yield
        app.state.engine.dispose()

    app = FastAPI(lifespan=lifespan)
    mount(app, settings, secret="test-secret", throttle=throttle)
    return app


def csrf_of(html: str) -> str:
    """The CSRF token in a rendered form."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def action_key_of(html: str) -> str:
    """The action key in a rendered action form."""
    found = re.search(r'name="action_key" value="([^"]+)"', html)
    assert found, "no action key on the page"
    return found.group(1)


def login(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    """Log in through the form; return the response to the POST."""
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )


# argon2id with the least work: each login verifies in about a millisecond, where the
# service's real parameters cost tenths of a second on a busy machine (the service's own
# tests use those)
FAST_HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


def add_staff(engine: Engine) -> None:
    """One account per role: admin@, clerk@ and analyst@example.com."""
    with engine.begin() as conn:
        for role in ("admin", "clerk", "analyst"):
            conn.execute(
                insert(staff_accounts).values(
                    email=f"{role}@example.com",
                    role=role,
                    password_hash=FAST_HASH,
                    created_at=utcnow(),
                )
            )


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


def _client(
    url: URL, email: str | None, throttle: LoginThrottle | None = None
) -> Iterator[TestClient]:
    with TestClient(build_app(url, throttle), base_url="http://127.0.0.1") as client:
        if email is not None:
            assert login(client, email).status_code == 303
        yield client


@pytest.fixture
def admin_client(read_shop: URL) -> Iterator[TestClient]:
    """A client logged in as the admin on the read-only shop."""
    yield from _client(read_shop, "admin@example.com")


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


def client_for(
    url: URL, email: str | None, throttle: LoginThrottle | None = None
) -> Iterator[TestClient]:
    """A test client on ``url``, logged in as ``email`` (None: not logged in)."""
    return _client(url, email, throttle)
