"""Every error as RFC 9457 problem details, translated in this one place.

A ``ShopError`` maps to one status by its class; the facts it carries (product, requested
and available units; current and target status; the constraint's name) become members of
the problem. Validation errors are 422 with a JSON pointer per field, and so is a sum
too large for the backend's integers (``NumberOverflow``: the request must narrow, or
the shop move to a server backend); transient database failures 503 with
``Retry-After``; anything else 500 with a request id, the traceback only in the
server's log.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException

from shopdb.db.backend import backend_of
from shopdb.errors import (
    ConfigError,
    ConnectError,
    ConnectionLost,
    ConstraintViolation,
    Duplicate,
    InvalidInput,
    InvalidTransition,
    NotFound,
    NumberOverflow,
    OutOfStock,
    PaymentMismatch,
    QueryTimeout,
    RetriesExhausted,
    SchemaError,
    ShopError,
    StaleVersion,
)
from shopdb.services._tx import is_transient

PROBLEM = "application/problem+json"
TYPE_BASE = "https://shopdb.dev/problems/"
RETRY_AFTER_S = "1"
log = logging.getLogger("shopdb.api")

# (status, type slug, title) per error class; the nearest class in the MRO wins
_SHOP_ERRORS: dict[type[ShopError], tuple[int, str, str]] = {
    NotFound: (404, "not-found", "Not found"),
    InvalidInput: (422, "invalid-input", "Invalid input"),
    OutOfStock: (409, "out-of-stock", "Out of stock"),
    InvalidTransition: (409, "invalid-transition", "Invalid status change"),
    Duplicate: (409, "duplicate", "Already exists"),
    ConstraintViolation: (409, "constraint-violation", "Constraint violated"),
    PaymentMismatch: (409, "payment-mismatch", "Payment does not match the order"),
    StaleVersion: (412, "precondition-failed", "Precondition failed"),
    RetriesExhausted: (503, "busy", "Database busy"),
    ConnectionLost: (503, "connection-lost", "Connection lost while committing"),
    ConnectError: (503, "unavailable", "Database unavailable"),
    QueryTimeout: (503, "query-timeout", "Query timed out"),
    # not a bug, not transient: the answer does not fit the backend's integers; the
    # request (a narrower range) or the backend (MariaDB, PostgreSQL) must change
    NumberOverflow: (422, "number-overflow", "Number too large for the database"),
    SchemaError: (503, "no-schema", "Database not ready"),
    ConfigError: (500, "misconfigured", "Server misconfigured"),
}


class ApiProblem(Exception):
    """An HTTP-level refusal (auth, preconditions, cursors) with its problem members."""

    def __init__(
        self,
        status: int,
        slug: str,
        title: str,
        detail: str,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status, self.slug, self.title, self.detail = status, slug, title, detail
        self.headers = headers or {}
        self.extra = extra


def problem(
    status: int,
    slug: str,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem+json response."""
    body = {"type": TYPE_BASE + slug, "title": title, "status": status, "detail": detail}
    body.update(extra)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM)


def shop_error_status(exc: ShopError) -> tuple[int, str, str]:
    """The (status, type slug, title) of a shopdb error."""
    for cls in type(exc).__mro__:
        if cls in _SHOP_ERRORS:
            return _SHOP_ERRORS[cls]
    return 500, "error", "Error"


def _facts(exc: ShopError) -> dict[str, Any]:
    if isinstance(exc, OutOfStock):
        return {
            "product_id": exc.product_id,
            "requested": exc.requested,
            "available": exc.available,
        }
    if isinstance(exc, InvalidTransition):
        return {"order_id": exc.order_id, "current_status": exc.current, "target": exc.target}
    if isinstance(exc, PaymentMismatch):
        return {"expected_cents": exc.expected_cents, "given_cents": exc.given_cents}
    if isinstance(exc, ConstraintViolation):
        return {"constraint": exc.constraint}
    if isinstance(exc, NumberOverflow):
        return {"refused": exc.subject}
    return {}


def _detail(request: Request, exc: ShopError) -> str:
    if not isinstance(exc, NumberOverflow):
        return str(exc)
    engine = getattr(request.app.state, "engine", None)
    if engine is not None and not backend_of(engine).exact_wide_sums:
        remedy = "a narrower range (since, until) or a MariaDB or PostgreSQL database answers it"
    else:
        remedy = "a narrower range (since, until) answers it"
    return f"{exc}; {remedy}"


async def _shop_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ShopError)
    status, slug, title = shop_error_status(exc)
    headers = {"Retry-After": RETRY_AFTER_S} if status == 503 else None
    return problem(status, slug, title, _detail(request, exc), headers, **_facts(exc))


async def _api_problem(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiProblem)
    return problem(exc.status, exc.slug, exc.title, exc.detail, exc.headers, **exc.extra)


def _pointer(location: Sequence[Any]) -> dict[str, str]:
    where, *rest = location or ("body",)
    if where == "body":
        return {
            "pointer": "/"
            + "/".join(str(part).replace("~", "~0").replace("/", "~1") for part in rest)
        }
    name = str(rest[0]) if rest else ""
    return {"parameter" if where != "header" else "header": name}


async def _validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{**_pointer(e.get("loc", ())), "detail": str(e.get("msg", ""))} for e in exc.errors()]
    first = errors[0] if errors else {"detail": "invalid request"}
    where = first.get("pointer") or first.get("parameter") or first.get("header") or ""
    return problem(
        422,
        "validation",
        "Invalid request",
        f"{where}: {first['detail']}" if where else str(first["detail"]),
        errors=errors,
    )


async def _http(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
        # FastAPI's 400 for a body that is not UTF-8: malformed JSON, like any other
        return problem(
            422,
            "validation",
            "Invalid request",
            "the body is not JSON: it is not valid UTF-8",
            errors=[{"pointer": "", "detail": "the body is not valid UTF-8"}],
        )
    titles = {404: "Not found", 405: "Method not allowed", 400: "Bad request"}
    return problem(
        exc.status_code,
        "http-" + str(exc.status_code),
        titles.get(exc.status_code, "HTTP error"),
        str(exc.detail),
        dict(exc.headers) if exc.headers else None,
    )


async def _database(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DBAPIError)
    if exc.connection_invalidated or is_transient(exc) or _is_operational(exc):
        return problem(
            503,
            "unavailable",
            "Database unavailable",
            "the database could not serve the request now; retry shortly",
            {"Retry-After": RETRY_AFTER_S},
        )
    return await _unexpected(_request, exc)


def _is_operational(exc: DBAPIError) -> bool:
    # lost connections, server shutdowns, lock timeouts: OperationalError on every driver
    return type(exc).__name__ == "OperationalError"


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    request_id = uuid.uuid4().hex
    log.error("request %s %s %s failed", request_id, request.method, request.url.path, exc_info=exc)
    return problem(
        500,
        "internal",
        "Internal error",
        f"the server failed to handle the request; quote request id {request_id}",
        {"X-Request-Id": request_id},
        request_id=request_id,
    )


def install(app: FastAPI) -> None:
    """Register every handler on ``app``."""
    app.add_exception_handler(ShopError, _shop_error)
    app.add_exception_handler(ApiProblem, _api_problem)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(DBAPIError, _database)
    app.add_exception_handler(Exception, _unexpected)
