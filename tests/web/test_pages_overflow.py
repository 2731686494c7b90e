"""A shop whose sums pass 2**63 - 1 (tests/overflow_shop.py) on the dashboard: on SQLite
the cards that cannot be summed say so in one line and the rest of the page loads; on
MariaDB and PostgreSQL every figure is exact."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from overflow_shop import ORDER_COUNT, insert_overflowing_orders
from shopdb.db.backend import backend_of
from shopdb.limits import MAX_TOTAL_CENTS
from shopdb.rollups.build import rebuild_all
from webshop import TestClient, add_staff, client_for

RANGE = "range=custom&from=2024-01-01&to=2024-06-30"
REFUSED = "cannot be answered: a sum passes the largest 64-bit integer"


@pytest.fixture
def huge(engine: Engine) -> Iterator[tuple[Engine, TestClient]]:
    insert_overflowing_orders(engine, customers=2)
    rebuild_all(engine)
    add_staff(engine)
    for client in client_for(engine.url, "admin@example.com"):
        yield engine, client


def test_one_card_past_int64_fails_alone_and_the_page_loads(
    huge: tuple[Engine, TestClient],
) -> None:
    engine, client = huge

    page = client.get(f"/?{RANGE}&compare=none")

    assert page.status_code == 200
    assert "Traceback" not in page.text
    assert 'data-value="' in page.text  # the cards that can be summed are there
    revenue = re.search(r'data-kpi="revenue" data-value="([^"]*)"', page.text)
    if backend_of(engine).exact_wide_sums:
        assert revenue is not None
        assert int(revenue.group(1)) == ORDER_COUNT * MAX_TOTAL_CENTS
        assert "This card could not load" not in page.text
    else:
        assert revenue is None
        assert f"This card could not load: query &#39;dashboard_kpis&#39; {REFUSED}" in page.text
        assert "NumberOverflow" not in page.text
        assert 'aria-labelledby="sales-title"' in page.text
        assert page.text.count("This card could not load") == 1


@pytest.mark.parametrize("page", ["sales", "customers", "products"])
def test_every_analytics_page_past_int64_loads(huge: tuple[Engine, TestClient], page: str) -> None:
    # rfm_segments' round_div passed 2**63 - 1 as a float on SQLite: it broke the page
    engine, client = huge

    response = client.get(f"/analytics/{page}?{RANGE}")

    assert response.status_code == 200
    assert "Traceback" not in response.text
    if backend_of(engine).exact_wide_sums:
        assert "This card could not load" not in response.text


def test_a_refused_query_is_one_card_and_its_csv_is_a_422_page(
    huge: tuple[Engine, TestClient],
) -> None:
    engine, client = huge
    if backend_of(engine).exact_wide_sums:
        pytest.skip("MariaDB and PostgreSQL sum these exactly")

    page = client.get(f"/analytics/sales?{RANGE}").text
    refused = client.get(f"/analytics/query/new_vs_returning_revenue.csv?{RANGE}")
    answered = client.get(f"/analytics/query/yoy_growth.csv?{RANGE}")

    # the card reads the rollups, so it is in the page: the one line instead of its chart
    section = page.split('data-query="new_vs_returning_revenue"', 1)[1].split("</section>", 1)[0]
    assert "hx-get" not in section
    refusal = f"This card could not load: query &#39;new_vs_returning_revenue&#39; {REFUSED}"
    assert refusal in section
    assert "Traceback" not in page and "NumberOverflow" not in page
    assert page.count("This card could not load") < page.count("data-query=")
    assert refused.status_code == 422
    assert REFUSED in refused.text
    assert answered.status_code == 200
