"""The dashboard under test: an app with the lifespan engine, staff accounts, logins.

Shared by the test-client tests (tests/web) and the browser tests (tests/e2e).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from argon2 import PasswordHasher
from fastapi import FastAPI
from sqlalchemy import insert
from sqlalchemy.engine import URL, Engine

from shopdb.config import settings_for
from shopdb.db.engine import open_engine
from shopdb.db.schema import staff_accounts
from shopdb.db.types import utcnow
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
    settings = settings_for(url)

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


def _client(
    url: URL, email: str | None, throttle: LoginThrottle | None = None
) -> Iterator[TestClient]:
    with TestClient(build_app(url, throttle), base_url="http://127.0.0.1") as client:
        if email is not None:
            assert login(client, email).status_code == 303
        yield client


def client_for(
    url: URL, email: str | None, throttle: LoginThrottle | None = None
) -> Iterator[TestClient]:
    """A test client on ``url``, logged in as ``email`` (None: not logged in)."""
    return _client(url, email, throttle)
