"""One router per resource; ``ROUTERS`` is what the app mounts under ``/v1``."""

from __future__ import annotations

from fastapi import APIRouter

from shopdb.api.routes import (
    analytics,
    audit,
    categories,
    events,
    keys,
    orders,
    payments,
    products,
    users,
)

ROUTERS: tuple[APIRouter, ...] = (
    users.router,
    categories.router,
    products.router,
    orders.router,
    payments.router,
    analytics.router,
    events.router,
    keys.router,
    audit.router,
)
