"""The audit (``shopdb check``'s results), staff accounts and API keys (admins only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.engine import Engine

from shopdb.access import ROLES
from shopdb.audit.runner import run_checks
from shopdb.db.schema import STAFF_ROLES
from shopdb.errors import ShopError
from shopdb.services.api_keys import create_api_key, list_api_keys, revoke_api_key
from shopdb.services.staff import create_staff, disable_staff, list_staff
from shopdb.web.render import Timings, render
from shopdb.web.routing import PageRoute, status_for
from shopdb.web.security import check_csrf, current_staff

router = APIRouter(route_class=PageRoute)


@router.get("/audit")
def audit_page(request: Request) -> Response:
    """Every integrity check, run now in one read-only snapshot, with what it found."""
    staff = current_staff(request, "audit:read")
    timings = Timings()
    with timings.measure("checks"):
        results = run_checks(request.app.state.engine)
    context = {
        "title": "Audit",
        "results": results,
        "failed": sum(1 for r in results if not r.passed),
    }
    return render(request, "audit.html", context, staff=staff, timings=timings)


def _staff_page(request: Request, error: str | None, status: int = 200) -> Response:
    staff = current_staff(request, "staff:admin")
    context = {
        "title": "Staff",
        "accounts": list_staff(request.app.state.engine),
        "roles": STAFF_ROLES,
        "error": error,
        "notice": {"created": "Account created.", "disabled": "Account disabled."}.get(
            request.query_params.get("done", "")
        ),
    }
    return render(request, "staff.html", context, staff=staff, status_code=status)


@router.get("/staff")
def staff_page(request: Request) -> Response:
    """Staff accounts, a form to add one, and a button to disable each."""
    return _staff_page(request, None)


@router.post("/staff")
def staff_create(
    request: Request,
    email: Annotated[str, Form(max_length=254)],
    role: Annotated[str, Form()],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Create an account (admins only)."""
    current_staff(request, "staff:admin")
    check_csrf(request, csrf_token)
    engine: Engine = request.app.state.engine
    try:
        create_staff(engine, email, role, password)
    except ShopError as exc:
        return _staff_page(request, str(exc), status_for(exc))
    return RedirectResponse("/staff?done=created", status_code=303)


@router.post("/staff/disable")
def staff_disable(
    request: Request,
    email: Annotated[str, Form(max_length=254)],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Disable an account (admins only; not one's own)."""
    staff = current_staff(request, "staff:admin")
    check_csrf(request, csrf_token)
    if email.strip().lower() == staff.email:
        return _staff_page(request, "you cannot disable your own account", 409)
    disable_staff(request.app.state.engine, email)
    return RedirectResponse("/staff?done=disabled", status_code=303)


def _keys_page(
    request: Request, *, error: str | None = None, secret: str | None = None, status: int = 200
) -> Response:
    staff = current_staff(request, "keys:admin")
    context = {
        "title": "API keys",
        "keys": list_api_keys(request.app.state.engine),
        "roles": ROLES,
        "error": error,
        "secret": secret,
        "notice": {"revoked": "Key revoked."}.get(request.query_params.get("done", "")),
    }
    response = render(request, "keys.html", context, staff=staff, status_code=status)
    if secret is not None:  # the key is shown once: no cache may keep the page
        response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/keys")
def keys_page(request: Request) -> Response:
    """The API's keys (never their secrets), a form to create one, a button to revoke."""
    return _keys_page(request)


@router.post("/keys")
def key_create(
    request: Request,
    role: Annotated[str, Form()],
    label: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Create a key (admins only) and show its secret on this one response."""
    current_staff(request, "keys:admin")
    check_csrf(request, csrf_token)
    try:
        _key, secret = create_api_key(request.app.state.engine, role, label.strip() or None)
    except ShopError as exc:
        return _keys_page(request, error=str(exc), status=status_for(exc))
    return _keys_page(request, secret=secret)


@router.post("/keys/{api_key_id}/revoke")
def key_revoke(
    request: Request, api_key_id: int, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    """Revoke a key from now on (admins only); revoking twice changes nothing."""
    current_staff(request, "keys:admin")
    check_csrf(request, csrf_token)
    try:
        revoke_api_key(request.app.state.engine, api_key_id)
    except ShopError as exc:
        return _keys_page(request, error=str(exc), status=status_for(exc))
    return RedirectResponse("/keys?done=revoked", status_code=303)
