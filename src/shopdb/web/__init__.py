"""The dashboard and back office: server-rendered pages mounted on the API's app.

``mount(app, settings)`` adds the pages at ``/`` and the vendored assets at ``/static``.
The engine is the app's (``app.state.engine``, opened by its lifespan); pages read
through the query catalogue and the read services, and act through the same services
as the CLI and the API.
"""

from __future__ import annotations

import secrets

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from shopdb.config import Settings
from shopdb.web.render import make_environment
from shopdb.web.security import LoginThrottle, Sessions


def mount(
    app: FastAPI,
    settings: Settings,
    *,
    secret: str | None = None,
    throttle: LoginThrottle | None = None,
) -> None:
    """Add the dashboard's routes and static files to ``app``.

    Args:
        app: an app whose lifespan sets ``app.state.engine``.
        settings: the settings the app was made with.
        secret: signs session cookies. By default the API's secret
            (``app.state.api_config.secret``, shared by every worker of one server), else
            a random one, so sessions end when the server restarts.
        throttle: how failed logins are slowed down (tests pass a stricter one).
    """
    from shopdb.web import (
        pages_admin,
        pages_analytics,
        pages_auth,
        pages_customers,
        pages_inventory,
        pages_orders,
        pages_overview,
    )

    del settings  # the engine comes from the app's lifespan; nothing else is needed yet
    api_config = getattr(app.state, "api_config", None)
    shared = getattr(api_config, "secret", None)
    key = secret or (shared.hex() if isinstance(shared, bytes) else None)
    app.state.web_sessions = Sessions(key or secrets.token_urlsafe(32))
    app.state.web_templates = make_environment()
    app.state.web_throttle = throttle or LoginThrottle()
    app.mount("/static", StaticFiles(packages=[("shopdb.web", "static")]), name="web-static")
    for module in (
        pages_auth,
        pages_overview,
        pages_orders,
        pages_inventory,
        pages_customers,
        pages_analytics,
        pages_admin,
    ):
        app.include_router(module.router, include_in_schema=False)
