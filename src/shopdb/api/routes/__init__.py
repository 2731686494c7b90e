"""One router per resource; ``ROUTERS`` is what the app mounts under ``/v1``."""

from __future__ import annotations

from fastapi import APIRouter

from shopdb.api.routes import categories, keys, orders, payments, products, users

ROUTERS: tuple[APIRouter, ...] = (
    users.router,
    categories.router,
    products.router,
    orders.router,
    payments.router,
    keys.router,
)
