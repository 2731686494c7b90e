"""A sum past 2**63 - 1 over HTTP: on SQLite a 422 problem naming the query and the way
out, never a 500; MariaDB and PostgreSQL answer it exactly (tests/overflow_shop.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from api_support import SECRET, TestClient, snapshot
from sqlalchemy.engine import Engine

from overflow_shop import ORDER_COUNT, insert_overflowing_orders
from shopdb.api.app import create_app
from shopdb.api.config import ApiConfig
from shopdb.config import settings_for
from shopdb.db.backend import backend_of
from shopdb.limits import MAX_TOTAL_CENTS
from shopdb.services.api_keys import create_api_key

PROBLEM = "application/problem+json"


@pytest.fixture
def huge(engine: Engine) -> Iterator[tuple[Engine, TestClient, dict[str, str]]]:
    insert_overflowing_orders(engine)
    key = create_api_key(engine, "admin", "overflow")[1]
    app = create_app(settings_for(engine.url), ApiConfig(secret=SECRET))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield engine, client, {"Authorization": f"Bearer {key}"}


def _assert_overflow_problem(response: Any, refused: str) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["type"].endswith("/number-overflow")
    assert problem["refused"] == refused
    assert problem["detail"].startswith(f"{refused} cannot be answered: a sum passes")
    assert problem["detail"].endswith(
        "a narrower range (since, until) or a MariaDB or PostgreSQL database answers it"
    )
    assert "Traceback" not in response.text
    return problem


def test_a_sum_past_int64_is_a_422_naming_the_query_on_sqlite_and_exact_elsewhere(
    huge: tuple[Engine, TestClient, dict[str, str]],
) -> None:
    # source=base: the orders were stored directly, so the rollups hold none of them
    engine, client, auth = huge
    before = snapshot(engine)

    response = client.get("/v1/analytics/total_revenue?source=base", headers=auth)

    if backend_of(engine).exact_wide_sums:
        assert response.status_code == 200, response.text
        (row,) = response.json()["data"]
        assert (row["revenue_cents"], row["order_count"]) == (
            ORDER_COUNT * MAX_TOTAL_CENTS,
            ORDER_COUNT,
        )
    else:
        _assert_overflow_problem(response, "query 'total_revenue'")
    assert snapshot(engine) == before


def test_a_csv_request_past_int64_is_the_same_problem(
    huge: tuple[Engine, TestClient, dict[str, str]],
) -> None:
    engine, client, auth = huge
    if backend_of(engine).exact_wide_sums:
        pytest.skip("MariaDB and PostgreSQL sum these exactly")

    response = client.get(
        "/v1/analytics/total_revenue?source=base", headers={**auth, "Accept": "text/csv"}
    )

    _assert_overflow_problem(response, "query 'total_revenue'")


def test_a_narrower_range_answers_on_every_backend(
    huge: tuple[Engine, TestClient, dict[str, str]],
) -> None:
    # the orders are one a day from 2024-01-02: January's fit below 2**63 - 1
    _, client, auth = huge

    response = client.get(
        "/v1/analytics/total_revenue?source=base&since=2024-01-01&until=2024-02-01",
        headers=auth,
    )

    assert response.status_code == 200, response.text
    (row,) = response.json()["data"]
    assert 28 <= row["order_count"] <= 31
    assert row["revenue_cents"] == row["order_count"] * MAX_TOTAL_CENTS


def test_an_audit_past_int64_is_a_422_naming_the_check_on_sqlite(
    huge: tuple[Engine, TestClient, dict[str, str]],
) -> None:
    engine, client, auth = huge
    if backend_of(engine).exact_wide_sums:
        pytest.skip("MariaDB and PostgreSQL sum these exactly")

    response = client.get("/v1/audit", headers=auth)

    problem = _assert_overflow_problem(response, response.json().get("refused", "?"))
    assert problem["refused"].startswith("check '")
