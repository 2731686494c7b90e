"""A real uvicorn on 127.0.0.1 serving the dashboard on a generated shop, and Chromium.

Playwright cannot download its browsers here, so it drives the system's Chromium
(Debian's ``chromium``). Without it these tests skip with a message, except under
``CI=true``, where they fail. A route guard aborts, and the test fails on, any request
for another host.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import URL

from shopdb.config import parse_database_url
from shopdb.datagen.generate import generate
from shopdb.datagen.params import make_params
from shopdb.db.admin import init_schema
from shopdb.db.engine import make_engine
from shopdb.services import place_order, restock
from shopdb.web.security import LoginThrottle
from threaded_server import serving_app
from webshop import END, add_staff, build_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def e2e_url(tmp_path_factory: pytest.TempPathFactory) -> URL:
    """A generated tiny shop on SQLite with one account per role."""
    path = tmp_path_factory.mktemp("e2e") / "shop.sqlite3"
    url = parse_database_url(f"sqlite:///{path}")
    engine = make_engine(url)
    try:
        init_schema(engine)
        generate(engine, make_params(11, 0.001, END, 2))
        add_staff(engine)
        # one order surely waiting for payment, whatever the generator left pending; dated
        # on the shop's last day, so the shop's "today" stays END whatever the date now is
        restock(engine, 1, 5)
        place_order(engine, 1, {1: 1}, now=datetime(END.year, END.month, END.day, 12, tzinfo=UTC))
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="session")
def server(e2e_url: URL) -> Iterator[str]:
    """The dashboard served by uvicorn on a free loopback port; its base URL."""
    with serving_app(build_app(e2e_url, LoginThrottle(free=50))) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless system Chromium."""
    if not Path(CHROMIUM).exists():
        message = f"no Chromium at {CHROMIUM}: apt-get install chromium to run the browser tests"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(params=["light", "dark"])
def scheme(request: pytest.FixtureRequest) -> str:
    """The colour scheme the browser asks for."""
    return str(request.param)
