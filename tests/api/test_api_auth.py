"""The auth matrix, generated from the scope table: every route x every role x no key."""

from __future__ import annotations

import re
import time

from api_support import Shop, TestClient
from fastapi.dependencies.models import Dependant

from shopdb.access import ROLE_SCOPES, ROLES, SCOPES, has_scope
from shopdb.api.app import create_app
from shopdb.api.config import ApiConfig
from shopdb.api.deps import api_routes, declared_scope
from shopdb.config import load_settings
from shopdb.services.api_keys import create_api_key, revoke_api_key


def _v1_routes() -> list[tuple[str, str, Dependant]]:
    app = create_app(load_settings({}, "sqlite:///unused.sqlite3"))
    routes = [(m, p, d) for m, p, d in api_routes(app) if p.startswith("/v1/")]
    assert len(routes) >= 34  # the matrix must not pass by finding no routes
    return routes


def test_every_route_declares_a_known_scope() -> None:
    undeclared = [f"{m} {p}" for m, p, r in _v1_routes() if declared_scope(r) is None]
    assert undeclared == []
    assert {declared_scope(r) for _, _, r in _v1_routes()} <= set(SCOPES)


def test_the_scope_table_gives_admin_everything_and_analysts_no_writes() -> None:
    assert ROLE_SCOPES["admin"] == frozenset(SCOPES)
    writes = {s for s in SCOPES if not s.endswith(":read")}
    assert ROLE_SCOPES["analyst"] & writes == set()
    assert "customers:email" not in ROLE_SCOPES["analyst"]
    assert {"keys:admin", "shop:delete", "audit:read"} & ROLE_SCOPES["clerk"] == set()


def _url(path: str, shop: Shop, spare_key: int) -> str:
    values = {
        "name": "total_revenue",
        "product_id": str(shop.mug),
        "user_id": str(shop.other_user),
        "api_key_id": str(spare_key),  # revoking a key the matrix does not use
    }
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "1"), path)


def test_every_route_for_every_role_and_no_key(client: TestClient, shop: Shop) -> None:
    wrong: list[str] = []
    spare = create_api_key(shop.engine, "analyst", "spare")[0].api_key_id
    for method, path, dependant in _v1_routes():
        scope = declared_scope(dependant)
        assert scope is not None
        url = _url(path, shop, spare)
        body = {} if method in ("POST", "PATCH") else None
        anonymous = client.request(method, url, json=body)
        if anonymous.status_code != 401 or "WWW-Authenticate" not in anonymous.headers:
            wrong.append(f"{method} {path} without a key: {anonymous.status_code}")
        for role in ROLES:
            response = client.request(method, url, json=body, headers=shop.auth(role))
            if has_scope(role, scope):
                if response.status_code in (401, 403):
                    wrong.append(f"{method} {path} as {role}: {response.status_code}")
            elif response.status_code != 403 or response.json().get("scope") != scope:
                wrong.append(f"{method} {path} as {role}: {response.status_code}, expected 403")
    assert wrong == []


def test_a_bad_malformed_or_revoked_key_is_a_401(client: TestClient, shop: Shop) -> None:
    for header in ("Bearer shopdb_not-a-key", "Basic abc", "Bearer", shop.keys["admin"]):
        response = client.get("/v1/orders", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.headers["content-type"] == "application/problem+json"
    assert client.get("/v1/orders", headers=shop.auth("clerk")).status_code == 200

    # the clerk's (keys are made admin, clerk, analyst), revoked through this server: its
    # cached lookup is dropped with it
    assert client.delete("/v1/api-keys/2", headers=shop.auth()).status_code == 200

    assert client.get("/v1/orders", headers=shop.auth("clerk")).status_code == 401


def test_a_key_revoked_elsewhere_is_refused_once_its_lookup_is_stale(
    client: TestClient, shop: Shop
) -> None:
    assert client.get("/v1/orders", headers=shop.auth("analyst")).status_code == 200

    revoke_api_key(shop.engine, 3)  # as the CLI or another worker would: no cache to drop
    time.sleep(ApiConfig().key_cache_s + 0.1)

    assert client.get("/v1/orders", headers=shop.auth("analyst")).status_code == 401
    assert client.get("/v1/orders", headers=shop.auth("clerk")).status_code == 200


def test_keys_are_managed_by_admins_only_and_a_new_key_works_at_once(
    client: TestClient, shop: Shop
) -> None:
    created = client.post(
        "/v1/api-keys", json={"role": "analyst", "label": "bi"}, headers=shop.auth()
    )
    assert created.status_code == 201
    key = created.json()["key"]
    assert key.startswith("shopdb_") and len(key) >= 40
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get("/v1/analytics", headers=headers).status_code == 200
    listed = client.get("/v1/api-keys", headers=shop.auth()).json()["data"]
    assert "key" not in listed[-1] and listed[-1]["label"] == "bi"

    client.delete(f"/v1/api-keys/{created.json()['api_key_id']}", headers=shop.auth())

    assert client.get("/v1/analytics", headers=headers).status_code == 401
