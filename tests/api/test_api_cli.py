"""``shopdb serve`` itself, ``shopdb api-key create|list|revoke`` and the audit over HTTP."""

from __future__ import annotations

import time

import httpx
from api_support import Shop, TestClient, pending_deltas_after
from click.testing import CliRunner
from server import serving_process
from sqlalchemy import select
from sqlalchemy.engine import URL

from shopdb.api.config import ApiConfig
from shopdb.cli import cli
from shopdb.db.schema import api_keys
from shopdb.services.api_keys import hash_key


def _run(db_url: URL, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", db_url.render_as_string(hide_password=False), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_create_prints_the_key_alone_last_and_stores_only_its_hash(
    client: TestClient, shop: Shop, db_url: URL
) -> None:
    printed = _run(db_url, "api-key", "create", "--role", "analyst", "--label", "BI team")
    key = printed.rstrip("\n").splitlines()[-1]

    assert key.startswith("shopdb_") and " " not in key and len(key) == 50
    with shop.engine.connect() as conn:
        stored = conn.execute(select(api_keys).where(api_keys.c.label == "BI team")).one()
    assert stored.key_hash == hash_key(key)
    assert key not in repr(tuple(stored))
    assert (
        client.get("/v1/analytics", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    )

    listing = _run(db_url, "api-key", "list")
    assert "BI team" in listing and key not in listing and key[:12] in listing

    revoked = _run(db_url, "api-key", "revoke", str(stored.api_key_id))
    assert "revoked" in revoked
    time.sleep(ApiConfig().key_cache_s + 0.1)  # the server trusts a looked-up key that long
    assert (
        client.get("/v1/analytics", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    )


def test_an_unknown_role_is_refused(db_url: URL, shop: Shop) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            db_url.render_as_string(hide_password=False),
            "api-key",
            "create",
            "--role",
            "root",
        ],
    )
    assert result.exit_code != 0
    assert "root" in result.output


def test_the_audit_over_http_is_clean_and_for_admins_only(client: TestClient, shop: Shop) -> None:
    report = client.get("/v1/audit", headers=shop.auth("admin"))
    assert report.status_code == 200
    assert report.json()["passed"] is True
    assert len(report.json()["data"]) > 5
    assert client.get("/v1/audit", headers=shop.auth("clerk")).status_code == 403


def test_serve_runs_the_api_on_loopback_until_terminated(shop: Shop, db_url: URL) -> None:
    # the other tests that need a real socket serve the app from a thread; this one runs
    # the command a user runs, as its own process
    options = ("--no-access-log", "--fold-interval", "0.2")
    with serving_process(db_url, options, {}) as (base, process):
        assert httpx.get(f"{base}/health").json() == {"status": "ok"}
        listed = httpx.get(f"{base}/v1/products", headers=shop.auth("clerk"))
        assert listed.status_code == 200
        assert [p["sku"] for p in listed.json()["data"]] == ["LAMP-1", "MUG-1"]
        assert httpx.get(f"{base}/v1/products").status_code == 401
        # the worker folds what the order appends to the change log
        order = httpx.post(
            f"{base}/v1/orders",
            json={"user_id": shop.user, "items": [{"product_id": shop.lamp, "quantity": 1}]},
            headers=shop.auth(),
        ).json()
        paid = httpx.post(
            f"{base}/v1/orders/{order['order_id']}/payments",
            json={"method": "card"},
            headers=shop.auth(),
        )
        assert paid.status_code == 201
        assert pending_deltas_after(shop.engine, 20) == 0
    assert process.returncode is not None


def test_a_bad_fold_interval_is_a_usage_error_before_serving(db_url: URL, shop: Shop) -> None:
    for value in ("-1", "soon", "86401"):
        result = CliRunner().invoke(
            cli,
            [
                "--db",
                db_url.render_as_string(hide_password=False),
                "serve",
                "--fold-interval",
                value,
            ],
        )
        assert result.exit_code == 2
        assert "--fold-interval" in result.output
