"""Who may see and do what: logins, sessions, the role matrix, CSRF on login, throttling."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.engine import URL, Engine

from shopdb.services.staff import disable_staff
from shopdb.web.security import COOKIE, LoginThrottle
from webshop import PASSWORD, client_for, csrf_of, login

PAGES = (
    "/",
    "/orders",
    "/orders/1",
    "/inventory",
    "/inventory/1",
    "/customers",
    "/customers/1",
    "/analytics/sales",
    "/analytics/customers",
    "/analytics/products",
    "/audit",
)


def test_every_page_asks_for_a_login(shop_url: URL) -> None:
    for client in client_for(shop_url, None):
        for path in (*PAGES, "/staff", "/orders.csv"):
            response = client.get(path, follow_redirects=False)
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/login?next=")


# who may open which page, written out by hand from the API's scope table (access.py)
ALLOWED = {
    "admin": set(PAGES) | {"/staff", "/keys"},
    "clerk": set(PAGES)
    - {"/analytics/sales", "/analytics/customers", "/analytics/products"}
    - {"/audit"},
    "analyst": set(PAGES) - {"/audit"},
}


@pytest.mark.parametrize("role", ["admin", "clerk", "analyst"])
def test_the_role_matrix(shop_url: URL, role: str) -> None:
    for client in client_for(shop_url, f"{role}@example.com"):
        for path in (*PAGES, "/staff", "/keys", "/analytics/query/top_customers.csv"):
            expected = (
                200 if path in ALLOWED[role] or (path.endswith(".csv") and role != "clerk") else 403
            )
            assert client.get(path).status_code == expected, path
        order = client.get("/orders/1").text
        assert ('data-action="pay"' in order) == (role != "analyst")
        home = client.get("/").text
        assert ('href="/staff"' in home) == (role == "admin")
        assert ('href="/audit"' in home) == (role == "admin")
        assert ('href="/analytics/sales"' in home) == (role != "clerk")
        # the clerk's overview is the work queue without the sales figures
        assert ("data-kpi=" in home) == (role != "clerk")
        assert 'data-ops="orders_to_pay"' in home


def test_emails_are_masked_for_roles_without_customers_email(shop_url: URL) -> None:
    shown = re.compile(r"<a href=\"/customers/\d+\">([^<>\s]+@[^<>\s]+)</a>")
    for client in client_for(shop_url, "clerk@example.com"):
        full = shown.findall(client.get("/orders").text)
        exported = client.get("/orders.csv").text.splitlines()[1].split(",")
    assert full and "***@" not in "".join(full) and "***@" not in exported[5]
    for client in client_for(shop_url, "analyst@example.com"):
        masked = shown.findall(client.get("/orders").text)
        assert masked == [f"{e[0]}***@{e.split('@')[1]}" for e in full]
        assert "@" not in client.get("/customers/1").text.split("<h1>")[1].split("***@")[0]
        row = client.get("/orders.csv").text.splitlines()[1].split(",")
        assert row[:5] == exported[:5]
        assert row[5] == f"{exported[5][0]}***@{exported[5].split('@')[1]}"


def test_only_admins_create_and_disable_staff(small_shop: Engine, shop_url: URL) -> None:
    for clerk in client_for(shop_url, "clerk@example.com"):
        token = csrf_of(clerk.get("/orders").text)
        refused = clerk.post(
            "/staff",
            data={
                "email": "new@example.com",
                "role": "admin",
                "password": PASSWORD,
                "csrf_token": token,
            },
        )
        assert refused.status_code == 403
    for admin in client_for(shop_url, "admin@example.com"):
        token = csrf_of(admin.get("/staff").text)
        made = admin.post(
            "/staff",
            data={
                "email": "new@example.com",
                "role": "clerk",
                "password": PASSWORD,
                "csrf_token": token,
            },
        )
        assert made.status_code == 200 and "new@example.com" in made.text
        short = admin.post(
            "/staff",
            data={
                "email": "x@example.com",
                "role": "clerk",
                "password": "short",
                "csrf_token": token,
            },
        )
        assert (
            short.status_code == 400 and "x@example.com" not in short.text.split("Accounts", 1)[1]
        )
        gone = admin.post(
            "/staff/disable", data={"email": "clerk@example.com", "csrf_token": token}
        )
        assert gone.status_code == 200 and "disabled" in gone.text
        own = admin.post("/staff/disable", data={"email": "admin@example.com", "csrf_token": token})
        assert own.status_code == 409
    for client in client_for(shop_url, None):
        assert login(client, "clerk@example.com").status_code == 401
        assert login(client, "new@example.com").status_code == 303


def test_a_wrong_password_is_refused_and_the_cookie_is_httponly(shop_url: URL) -> None:
    for client in client_for(shop_url, None):
        wrong = login(client, "clerk@example.com", "not-the-password")
        assert wrong.status_code == 401 and "Wrong email or password." in wrong.text
        assert login(client, "nobody@example.com").status_code == 401
        right = login(client, "clerk@example.com")
        cookie = right.headers["set-cookie"]
        assert cookie.startswith(f"{COOKIE}=")
        assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
        assert client.get("/orders").status_code == 200


def test_login_needs_the_forms_csrf_token(shop_url: URL) -> None:
    for client in client_for(shop_url, None):
        client.get("/login")
        response = client.post(
            "/login",
            data={"email": "clerk@example.com", "password": PASSWORD, "csrf_token": "forged"},
            follow_redirects=False,
        )
        assert response.status_code == 403
        assert client.get("/orders", follow_redirects=False).status_code == 303


def test_logout_ends_the_session(shop_url: URL) -> None:
    for client in client_for(shop_url, "clerk@example.com"):
        token = csrf_of(client.get("/orders").text)
        out = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
        assert out.status_code == 303
        assert client.get("/orders", follow_redirects=False).status_code == 303


def test_a_forged_cookie_is_no_session(shop_url: URL) -> None:
    for client in client_for(shop_url, None):
        client.cookies.set(COOKIE, "eyJzIjoxLCJjIjoieCJ9.forged.signature")
        assert client.get("/orders", follow_redirects=False).status_code == 303


def test_disabling_an_account_ends_its_sessions(small_shop: Engine, shop_url: URL) -> None:
    for client in client_for(shop_url, "clerk@example.com"):
        assert client.get("/orders").status_code == 200
        disable_staff(small_shop, "clerk@example.com")
        assert client.get("/orders", follow_redirects=False).status_code == 303


def test_repeated_failed_logins_are_slowed_down(shop_url: URL) -> None:
    throttle = LoginThrottle(free=3, base_delay=60)
    for client in client_for(shop_url, None, throttle):
        for _ in range(3):
            assert login(client, "clerk@example.com", "wrong-password-1").status_code == 401
        blocked = login(client, "clerk@example.com")
        assert blocked.status_code == 429
        assert int(blocked.headers["retry-after"]) > 0
        assert "too many failed logins" in blocked.text
        assert client.get("/orders", follow_redirects=False).status_code == 303


def test_the_next_page_after_login_stays_on_this_site(shop_url: URL) -> None:
    for client in client_for(shop_url, None):
        token = csrf_of(client.get("/login?next=//evil.example/x").text)
        response = client.post(
            "/login",
            data={
                "email": "clerk@example.com",
                "password": PASSWORD,
                "csrf_token": token,
                "next": "//evil.example/x",
            },
            follow_redirects=False,
        )
        assert response.headers["location"] == "/"


def test_admins_create_list_and_revoke_api_keys(small_shop: Engine, shop_url: URL) -> None:
    from shopdb.services.api_keys import authenticate, list_api_keys

    for clerk in client_for(shop_url, "clerk@example.com"):
        assert clerk.get("/keys").status_code == 403
        token = csrf_of(clerk.get("/orders").text)
        refused = clerk.post("/keys", data={"role": "admin", "csrf_token": token})
        assert refused.status_code == 403
    assert list_api_keys(small_shop) == []
    for admin in client_for(shop_url, "admin@example.com"):
        page = admin.get("/keys")
        assert page.status_code == 200 and "No API key yet." in page.text
        token = csrf_of(page.text)
        bad = admin.post("/keys", data={"role": "owner", "csrf_token": token})
        assert bad.status_code == 400 and "Refused:" in bad.text
        assert list_api_keys(small_shop) == []  # nothing written
        made = admin.post("/keys", data={"role": "analyst", "label": "BI", "csrf_token": token})
        assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
        secret = re.findall(r'id="new-key"[^>]* value="(shopdb_[A-Za-z0-9_-]+)"', made.text)
        assert len(secret) == 1
        key = authenticate(small_shop, secret[0])  # the API's own check of a key
        assert key is not None and key.role == "analyst" and key.label == "BI"
        listed = admin.get("/keys").text
        assert secret[0] not in listed and f'data-api-key-id="{key.api_key_id}"' in listed
        gone = admin.post(f"/keys/{key.api_key_id}/revoke", data={"csrf_token": token})
        assert gone.status_code == 200 and "Key revoked." in gone.text
        assert authenticate(small_shop, secret[0]) is None
        missing = admin.post("/keys/999999/revoke", data={"csrf_token": token})
        assert missing.status_code == 404
        forged = admin.post("/keys", data={"role": "clerk", "csrf_token": "forged"})
        assert forged.status_code == 403
    assert [k.role for k in list_api_keys(small_shop)] == ["analyst"]
