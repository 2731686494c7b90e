"""The REST API's factory: settings in, a FastAPI app out; the engine lives in the lifespan.

``create_app(settings)`` builds the app; its lifespan opens the engine with the same
function the CLI uses and disposes of it at shutdown. Routes live one router per resource
in ``shopdb.api.routes``; every error becomes problem+json in ``shopdb.api.problems``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import Depends, FastAPI

from shopdb import __version__
from shopdb.api import docs, problems
from shopdb.api.config import ApiConfig, load_api_config
from shopdb.api.deps import EngineDep, KeyCache, reject_unknown_params
from shopdb.api.pagination import Cursors
from shopdb.api.responses import COMMON, problem_openapi
from shopdb.api.routes import MATCHING, ROUTERS
from shopdb.api.threads import use_route_threads
from shopdb.config import Settings, load_settings
from shopdb.db.engine import check_connection, open_engine
from shopdb.rollups.refresher import Refresher

OPENAPI_URL = "/v1/openapi.json"


def create_app(settings: Settings, config: ApiConfig | None = None) -> FastAPI:
    """The API for the database ``settings`` names, served under ``/v1``."""
    api = config or ApiConfig()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engine = open_engine(
            settings, pool_size=api.pool_size, max_overflow=api.pool_size
        )
        # analytics get their own small pool and threads: a burst of slow queries waits
        # for these, never for the connections and threads the order endpoints use
        app.state.analytics_engine = open_engine(
            settings, pool_size=api.analytics_slots, max_overflow=0
        )
        app.state.analytics_limiter = anyio.CapacityLimiter(api.analytics_slots)
        app.state.analytics_slots = anyio.Semaphore(api.analytics_slots)
        try:
            with use_route_threads(), Refresher(app.state.engine, api.fold_interval_s):
                yield
        finally:
            app.state.analytics_engine.dispose()
            app.state.engine.dispose()

    app = FastAPI(
        title="shopdb",
        version=__version__,
        summary="The shop's users, catalogue, stock, orders and analytics over HTTP.",
        lifespan=lifespan,
        openapi_url=OPENAPI_URL,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.api_config = api
    app.state.cursors = Cursors(api.secret)
    app.state.key_cache = KeyCache(api.key_cache_s)
    problems.install(app)

    @app.get("/health", tags=["service"], summary="Liveness: the process answers")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/ready",
        tags=["service"],
        summary="Readiness: the database answers",
        responses={503: {"description": "the database does not answer"}},
    )
    def ready(engine: EngineDep) -> dict[str, str]:
        check_connection(engine)
        return {"status": "ready"}

    for router in MATCHING:
        app.include_router(
            router, prefix="/v1", dependencies=[Depends(reject_unknown_params)], responses=COMMON
        )
    app.openapi = lambda: problem_openapi(app, ROUTERS)  # type: ignore[method-assign]
    docs.install(app, OPENAPI_URL)
    from shopdb.web import mount  # the dashboard, beside the API in one process

    mount(app, settings)
    return app


def app_from_environment() -> FastAPI:
    """The app for ``uvicorn --factory``: settings from the environment, read at call time.

    ``shopdb serve`` puts the database URL and the cursor secret there for its workers.
    """
    return create_app(load_settings(os.environ), load_api_config(os.environ))
