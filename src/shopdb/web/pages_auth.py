"""Logging in and out, and the light/dark switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from shopdb.services.staff import authenticate
from shopdb.web.render import render
from shopdb.web.routing import PageRoute, error_page
from shopdb.web.security import (
    COOKIE,
    SESSION_MAX_AGE,
    LoginThrottle,
    Session,
    Sessions,
    TooManyAttempts,
    check_csrf,
    new_session,
    request_session,
)

router = APIRouter(route_class=PageRoute)


def set_session(request: Request, response: Response, session: Session) -> None:
    """Write the session cookie: signed, HttpOnly, SameSite=Lax, Secure over HTTPS."""
    sessions: Sessions = request.app.state.web_sessions
    response.set_cookie(
        COOKIE,
        sessions.dump(session),
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def _safe_next(target: str | None) -> str:
    # only paths on this site: never an absolute URL or a scheme-relative //host
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    """The login form; it starts an anonymous session to carry the form's CSRF token."""
    session = request_session(request) or new_session()
    request.state.session = session
    response = render(
        request, "login.html", {"next": _safe_next(next), "error": None, "email": ""}, staff=None
    )
    set_session(request, response, session)
    return response


@router.post("/login")
def login(
    request: Request,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the password; on success a new session (new CSRF token) and a redirect."""
    check_csrf(request, csrf_token)
    throttle: LoginThrottle = request.app.state.web_throttle
    client = request.client.host if request.client else "unknown"
    keys = (f"email:{email.strip().lower()}", f"client:{client}")
    try:
        throttle.check(*keys)
    except TooManyAttempts as exc:
        return error_page(request, exc)
    account = authenticate(request.app.state.engine, email, password)
    if account is None:
        throttle.failed(*keys)
        return render(
            request,
            "login.html",
            {"next": _safe_next(next), "error": "Wrong email or password.", "email": email},
            staff=None,
            status_code=401,
        )
    throttle.succeeded(*keys)
    redirect = RedirectResponse(_safe_next(next), status_code=303)
    set_session(request, redirect, new_session(account.staff_id))
    return redirect


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    """End the session: the cookie is replaced by an anonymous one."""
    check_csrf(request, csrf_token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.post("/theme")
def theme(
    request: Request,
    theme: Annotated[str, Form()] = "auto",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Remember light, dark or the system's choice in a cookie."""
    check_csrf(request, csrf_token)
    response = RedirectResponse(_safe_next(next), status_code=303)
    choice = theme if theme in ("light", "dark") else "auto"
    response.set_cookie("shopdb_theme", choice, max_age=365 * 86400, samesite="lax", path="/")
    return response
