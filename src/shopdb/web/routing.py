"""Page routes: errors become readable pages, a missing session goes to the login form.

Pages use their own route class, so the API's problem+json handlers stay the API's: a
``ShopError`` raised by a page handler is rendered here as an HTML page with its 4xx
status (never a 500), and nothing reaches the app-wide handlers.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute

from shopdb.errors import (
    Duplicate,
    InvalidInput,
    InvalidTransition,
    NotFound,
    OutOfStock,
    PaymentMismatch,
    ShopError,
)
from shopdb.web.render import render
from shopdb.web.security import (
    CsrfFailure,
    Forbidden,
    LoginRequired,
    TooManyAttempts,
    current_staff,
    request_session,
)

_STATUS: list[tuple[type[ShopError], int]] = [
    (NotFound, 404),
    (Forbidden, 403),
    (CsrfFailure, 403),
    (TooManyAttempts, 429),
    (InvalidTransition, 409),
    (Duplicate, 409),
    (OutOfStock, 409),
    (PaymentMismatch, 409),
    (InvalidInput, 400),
]


def status_for(exc: ShopError) -> int:
    """The HTTP status a page answers with for ``exc`` (422 for other shop errors)."""
    return next((code for kind, code in _STATUS if isinstance(exc, kind)), 422)


def error_page(request: Request, exc: ShopError, status: int | None = None) -> Response:
    """A readable error page with the error's one-line message."""
    staff = None
    session = request_session(request)
    if session is not None and session.staff_id is not None and not isinstance(exc, LoginRequired):
        try:
            staff = current_staff(request)
        except LoginRequired:
            staff = None
    code = status or status_for(exc)
    response = render(
        request,
        "error.html",
        {"message": str(exc), "status": code, "title": "Cannot do that"},
        staff=staff,
        status_code=code,
    )
    if isinstance(exc, TooManyAttempts):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


class PageRoute(APIRoute):
    """An ``APIRoute`` whose shop errors become pages and whose bad input is a 400 page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap FastAPI's handler with the page's error handling."""
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
            except ShopError as exc:
                return error_page(request, exc)
            except RequestValidationError as exc:
                fields = ", ".join(
                    ".".join(str(p) for p in err.get("loc", ())[1:]) or "input"
                    for err in exc.errors()
                )
                return error_page(request, InvalidInput(f"bad value for {fields}"), 400)

        return page_handler
