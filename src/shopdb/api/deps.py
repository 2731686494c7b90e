"""What routes ask for: the engine, the caller's key and the scope a route needs.

``Scope("orders:write")`` is the one way a route declares what it needs: a test walks
every route and fails on one without it. No key, or an unknown or revoked one, is a 401;
a key whose role lacks the scope a 403 that names the scope.

These dependencies are ``async``: FastAPI runs a sync dependency in the thread pool, one
hop per dependency per request, and none of them blocks, except the key lookup on a
miss of the key cache (``KeyCache``), which alone goes to a thread.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from shopdb.access import ROLE_SCOPES, SCOPES, has_scope
from shopdb.api.problems import ApiProblem
from shopdb.services.api_keys import authenticate


def engine_of(request: Request) -> Engine:
    """The engine the app's lifespan opened."""
    engine: Engine = request.app.state.engine
    return engine


async def get_engine(request: Request) -> Engine:
    """The engine the app's lifespan opened (a dependency: no thread hop)."""
    return engine_of(request)


EngineDep = Annotated[Engine, Depends(get_engine)]


@dataclass(frozen=True)
class Principal:
    """The caller: its key's id and role."""

    api_key_id: int
    role: str

    def can(self, scope: str) -> bool:
        """Whether the caller's role holds ``scope``."""
        return has_scope(self.role, scope)


class KeyCache:
    """The callers of recently seen keys, by the key's hash, each for ``ttl_s`` seconds.

    Most requests then skip the key lookup (a transaction of its own). A key revoked
    through this process's API is dropped at once (``drop``); one revoked elsewhere (the
    CLI, another worker) is refused within ``ttl_s``. Unknown and revoked keys are never
    cached, so made-up keys cannot fill it; it holds at most ``size`` keys. ``ttl_s`` 0
    turns it off.
    """

    def __init__(self, ttl_s: float, size: int = 1024) -> None:
        self.ttl_s, self.size = ttl_s, size
        self._found: dict[str, tuple[float, Principal]] = {}
        self._lock = threading.Lock()  # drop() runs in the revoking route's thread

    def get(self, key: str) -> Principal | None:
        """The cached caller of ``key``, or None (never seen, or seen too long ago)."""
        entry = self._found.get(_digest(key))
        if entry is None or time.monotonic() - entry[0] >= self.ttl_s:
            return None
        return entry[1]

    def put(self, key: str, principal: Principal) -> None:
        """Remember ``key``'s caller from now on."""
        if self.ttl_s <= 0:
            return
        with self._lock:
            if len(self._found) >= self.size:
                self._found.clear()  # rare (more live keys than size): start again
            self._found[_digest(key)] = (time.monotonic(), principal)

    def drop(self, api_key_id: int) -> None:
        """Forget the key ``api_key_id`` (it was revoked)."""
        with self._lock:
            for digest, (_at, principal) in list(self._found.items()):
                if principal.api_key_id == api_key_id:
                    del self._found[digest]


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


def key_cache(request: Request) -> KeyCache:
    """The app's key cache."""
    cache: KeyCache = request.app.state.key_cache
    return cache


_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="shopdb"'}


async def _principal(request: Request) -> Principal:
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
    key = key.strip()
    cache = key_cache(request)
    principal = cache.get(key)
    if principal is None:
        found = await run_in_threadpool(authenticate, engine_of(request), key)
        if found is None:
            raise ApiProblem(
                401, "unauthorized", "Unauthorized", "the API key is unknown or revoked", _CHALLENGE
            )
        principal = Principal(found.api_key_id, found.role)
        cache.put(key, principal)
    request.state.principal = principal
    return principal


class Scope:
    """A dependency that admits only callers whose role holds ``scope``; returns the caller."""

    def __init__(self, scope: str) -> None:
        if scope not in SCOPES:
            raise KeyError(f"unknown scope {scope!r}")
        self.scope = scope

    async def __call__(self, request: Request) -> Principal:
        principal = await _principal(request)
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


async def reject_unknown_params(request: Request) -> None:
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
