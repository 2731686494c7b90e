"""What routes ask for: the engine, the caller's key and the scope a route needs.

``Scope("orders:write")`` is the one way a route declares what it needs: a test walks
every route and fails on one without it. No key, or an unknown or revoked one, is a 401;
a key whose role lacks the scope a 403 that names the scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts
from sqlalchemy.engine import Engine

from shopdb.access import ROLE_SCOPES, SCOPES, has_scope
from shopdb.api.problems import ApiProblem
from shopdb.services.api_keys import authenticate


def get_engine(request: Request) -> Engine:
    """The engine the app's lifespan opened."""
    engine: Engine = request.app.state.engine
    return engine


EngineDep = Annotated[Engine, Depends(get_engine)]


@dataclass(frozen=True)
class Principal:
    """The caller: its key's id and role."""

    api_key_id: int
    role: str

    def can(self, scope: str) -> bool:
        """Whether the caller's role holds ``scope``."""
        return has_scope(self.role, scope)


_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="shopdb"'}


def _principal(request: Request) -> Principal:
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise ApiProblem(
            401,
            "unauthorized",
            "Unauthorized",
            "send an API key: Authorization: Bearer KEY",
            _CHALLENGE,
        )
    found = authenticate(get_engine(request), key.strip())
    if found is None:
        raise ApiProblem(
            401, "unauthorized", "Unauthorized", "the API key is unknown or revoked", _CHALLENGE
        )
    principal = Principal(found.api_key_id, found.role)
    request.state.principal = principal
    return principal


class Scope:
    """A dependency that admits only callers whose role holds ``scope``; returns the caller."""

    def __init__(self, scope: str) -> None:
        if scope not in SCOPES:
            raise KeyError(f"unknown scope {scope!r}")
        self.scope = scope

    def __call__(self, request: Request) -> Principal:
        principal = _principal(request)
        if self.scope not in ROLE_SCOPES.get(principal.role, frozenset()):
            raise ApiProblem(
                403,
                "forbidden",
                "Forbidden",
                f"this key's role ({principal.role}) lacks the scope {self.scope}",
                scope=self.scope,
            )
        return principal


def needs(scope: str) -> Any:
    """``Depends(Scope(scope))``: the caller, admitted only with ``scope``."""
    return Depends(Scope(scope))


def declared_scope(dependant: Dependant) -> str | None:
    """The scope a route's dependencies declare, or None."""
    for sub in dependant.dependencies:
        if isinstance(sub.call, Scope):
            return sub.call.scope
        found = declared_scope(sub)
        if found is not None:
            return found
    return None


def api_routes(app: FastAPI) -> list[tuple[str, str, Dependant]]:
    """Every (method, path, dependant) the app routes, included routers flattened."""
    found = []
    for context in iter_route_contexts(app.routes):
        dependant = getattr(context, "dependant", None)
        if isinstance(dependant, Dependant) and context.path and context.methods:
            found += [(method, str(context.path), dependant) for method in sorted(context.methods)]
    return found


def query_names(dependant: Dependant) -> frozenset[str]:
    """Every query parameter a route (and its dependencies) declares."""
    names = {str(f.alias) for f in dependant.query_params}
    for sub in dependant.dependencies:
        names |= query_names(sub)
    return frozenset(names)


def reject_unknown_params(request: Request) -> None:
    """Refuse a query parameter the route does not declare: a typo must not be ignored."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    allowed = _allowed.get(id(dependant))
    if allowed is None:
        allowed = _allowed[id(dependant)] = query_names(dependant)
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise ApiProblem(
            422,
            "validation",
            "Invalid request",
            f"unknown query parameter {unknown[0]!r}"
            + (f" (this route takes {', '.join(sorted(allowed))})" if allowed else ""),
            errors=[{"parameter": name, "detail": "unknown query parameter"} for name in unknown],
        )


_allowed: dict[int, frozenset[str]] = {}
