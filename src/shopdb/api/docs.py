"""``/docs``: Swagger UI from the vendored ``swagger-ui-dist`` files, no CDN."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/docs/assets"


def install(app: FastAPI, openapi_url: str) -> None:
    """Serve the docs page at ``/docs`` and its assets under ``/docs/assets``."""
    folder = resources.files("shopdb.api").joinpath("static", "swagger-ui")
    app.mount(ASSETS_URL, StaticFiles(directory=str(folder)), name="swagger-ui-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} API",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon-32x32.png",
        )
