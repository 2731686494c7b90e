"""Who may see and do what: logins, sessions, the role matrix, CSRF on login, throttling."""

from __future__ import annotations

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


@pytest.mark.parametrize("role", ["admin", "clerk", "analyst"])
def test_the_role_matrix(shop_url: URL, role: str) -> None:
    for client in client_for(shop_url, f"{role}@example.com"):
        for path in PAGES:
            assert client.get(path).status_code == 200, path
        staff = client.get("/staff")
        assert staff.status_code == (200 if role == "admin" else 403)
        order = client.get("/orders/1").text
        assert ('data-action="pay"' in order) == (role != "analyst")
        assert ('href="/staff"' in client.get("/").text) == (role == "admin")


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
