"""The server folds the rollups' change logs in the background: orders placed over HTTP
leave ``rollup_deltas`` within a few fold intervals, the rollups equal to the base tables."""

from __future__ import annotations

import pytest
from api_support import (
    SECRET,
    Shop,
    TestClient,
    assert_audit_clean,
    count_rows,
    pending_deltas_after,
)
from sqlalchemy.engine import URL

from shopdb.api.app import create_app
from shopdb.api.config import ApiConfig
from shopdb.config import settings_for
from shopdb.db.rollup_schema import rollup_deltas
from shopdb.queries import run_query

WAIT_S = 20


def _sell(client: TestClient, shop: Shop) -> None:
    """Two paid orders placed through the API (each appends deltas)."""
    for user, product in ((shop.user, shop.lamp), (shop.other_user, shop.mug)):
        order = client.post(
            "/v1/orders",
            json={"user_id": user, "items": [{"product_id": product, "quantity": 1}]},
            headers=shop.auth(),
        ).json()
        paid = client.post(
            f"/v1/orders/{order['order_id']}/payments", json={"method": "card"}, headers=shop.auth()
        )
        assert paid.status_code == 201, paid.text


@pytest.mark.parametrize("interval", [0.05, 0.0])
def test_the_server_folds_the_change_log_while_it_serves(
    shop: Shop, db_url: URL, interval: float
) -> None:
    app = create_app(settings_for(db_url), ApiConfig(secret=SECRET, fold_interval_s=interval))
    with TestClient(app, raise_server_exceptions=False) as client:
        _sell(client, shop)
        assert count_rows(shop.engine, rollup_deltas) > 0
        # without a refresher the deltas stay (checked for a second: 20 intervals)
        pending = pending_deltas_after(shop.engine, WAIT_S if interval else 1.0)
    if interval:
        assert pending == 0
    else:
        assert pending > 0
    for name in ("revenue_by_category", "total_revenue", "best_selling_products"):
        assert run_query(shop.engine, name, source="rollup").rows == (
            run_query(shop.engine, name, source="base").rows
        )
    assert_audit_clean(shop.engine)
