"""``/v1/analytics``: exactly the rows ``shopdb query NAME --format json`` prints; CSV; limits."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from api_support import SECRET, Shop, TestClient, create_shop
from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.engine import URL

from dbservers import BACKENDS, schema_engine
from shopdb.api.app import create_app
from shopdb.api.config import ApiConfig
from shopdb.api.routes.analytics import PARAM_NAMES
from shopdb.cli import cli
from shopdb.config import settings_for
from shopdb.db import timeouts
from shopdb.db.engine import make_engine
from shopdb.queries import QUERIES
from shopdb.services import pay_order, place_order, ship_order

AS_OF = "2030-01-01T00:00:00"


def _sell(shop: Shop) -> Shop:
    """The shop with a paid, a shipped and a pending order."""
    first = place_order(shop.engine, shop.user, {shop.lamp: 2})
    pay_order(shop.engine, first, 2000, "card")
    second = place_order(shop.engine, shop.other_user, {shop.lamp: 1, shop.mug: 1})
    pay_order(shop.engine, second, 1250, "paypal")
    ship_order(shop.engine, second)
    place_order(shop.engine, shop.user, {shop.mug: 1})
    return shop


@pytest.fixture
def sold(shop: Shop) -> Shop:
    """The test's own shop with a paid, a shipped and a pending order."""
    return _sell(shop)


@dataclass
class SoldShop:
    """The sold shop shared by the read-only tests of one backend, and a client on it."""

    shop: Shop
    url: URL
    client: TestClient


@pytest.fixture(scope="module", params=BACKENDS)
def sold_shop(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SoldShop]:
    """One sold shop per backend for the module's read-only tests (they never write)."""
    backend = str(request.param)
    with schema_engine(backend, tmp_path_factory.mktemp(f"sold_{backend}")) as (engine, url):
        shop = _sell(create_shop(engine))
        app = create_app(settings_for(url), ApiConfig(secret=SECRET))
        with TestClient(app, raise_server_exceptions=False) as client:
            yield SoldShop(shop, url, client)


def _params(name: str) -> dict[str, str]:
    takes = {p.name for p in QUERIES[name].params}
    return {"as_of": AS_OF} if "as_of" in takes else {}


def test_the_declared_parameters_are_every_parameter_of_the_catalogue() -> None:
    assert set(PARAM_NAMES) == {p.name for spec in QUERIES.values() for p in spec.params}


@pytest.mark.parametrize("name", sorted(QUERIES))
@pytest.mark.parametrize("source", ["auto", "base"])
def test_rows_are_exactly_what_the_cli_prints(sold_shop: SoldShop, name: str, source: str) -> None:
    client, sold = sold_shop.client, sold_shop.shop
    params = _params(name)
    db = sold_shop.url.render_as_string(hide_password=False)
    args = ["--db", db, "query", name, "--format", "json"]
    args += ["--source", source]
    args += [f"--param={k}={v}" for k, v in params.items()]
    printed = CliRunner().invoke(cli, args)
    assert printed.exit_code == 0, printed.output

    response = client.get(
        f"/v1/analytics/{name}", params={**params, "source": source}, headers=sold.auth("admin")
    )

    assert response.status_code == 200, response.text
    assert response.json() == {"data": json.loads(printed.stdout)}


def test_csv_by_accept_and_masked_emails_for_an_analyst(sold_shop: SoldShop) -> None:
    client, sold = sold_shop.client, sold_shop.shop
    csv = client.get(
        "/v1/analytics/top_customers", headers={**sold.auth("admin"), "Accept": "text/csv"}
    )
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0].startswith("user_id,name,email,")
    assert "ann.lee@example.com" in csv.text
    masked = client.get("/v1/analytics/top_customers", headers=sold.auth("analyst")).json()["data"]
    assert {row["email"] for row in masked} == {"a***@example.com", "b***@example.com"}


def test_a_parameter_the_query_does_not_take_is_a_422_and_an_unknown_query_a_404(
    sold_shop: SoldShop,
) -> None:
    client, sold = sold_shop.client, sold_shop.shop
    wrong = client.get("/v1/analytics/total_revenue?min_orders=2", headers=sold.auth("analyst"))
    assert wrong.status_code == 422
    bad = client.get("/v1/analytics/total_revenue?since=yesterday", headers=sold.auth("analyst"))
    assert bad.status_code == 422
    assert client.get("/v1/analytics/nothing", headers=sold.auth("analyst")).status_code == 404
    listed = client.get("/v1/analytics", headers=sold.auth("analyst")).json()["data"]
    assert [q["name"] for q in listed] == list(QUERIES)


def test_a_query_past_its_statement_timeout_is_a_503(
    sold: Shop, db_url: URL, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite: a deadline already passed interrupts at the first progress check; the
    # servers: the query waits on a table lock held elsewhere until its timeout cuts it
    config = ApiConfig(secret=SECRET, analytics_timeout_s=1e-9 if backend == "sqlite" else 0.5)
    locker = make_engine(db_url)
    holding = threading.Event()
    done = threading.Event()

    def lock_orders() -> None:
        with locker.connect() as conn:
            if backend == "postgresql":
                conn.begin()
                conn.execute(text("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE"))
            else:
                conn.execute(text("LOCK TABLES orders WRITE"))
            holding.set()
            done.wait(30)
            conn.execute(text("UNLOCK TABLES")) if backend == "mysql" else conn.rollback()

    thread = threading.Thread(target=lock_orders)
    if backend == "sqlite":
        # the tiny shop's query ends before the first check at the usual granularity
        monkeypatch.setattr(timeouts, "_SQLITE_STEPS", 1)
    else:
        thread.start()
        assert holding.wait(30)
    try:
        with TestClient(
            create_app(settings_for(db_url), config), raise_server_exceptions=False
        ) as client:
            response = client.get("/v1/analytics/cohort_retention", headers=sold.auth("analyst"))
            assert response.status_code == 503, response.text
            assert response.headers["Retry-After"] == "1"
            assert response.json()["type"].endswith("/query-timeout")
    finally:
        done.set()
        if backend != "sqlite":
            thread.join()
        locker.dispose()
