"""Browser helpers: a guarded page, logging in."""

from __future__ import annotations

from typing import Any

from webshop import PASSWORD


def open_page(browser: Any, server: str, scheme: str = "light") -> tuple[Any, Any, list[str]]:
    """A fresh context and page with the route guard; the list the guard fills."""
    context = browser.new_context(
        color_scheme=scheme, viewport={"width": 1280, "height": 900}, base_url=server
    )
    left: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(server + "/") or url == server:
            route.continue_()
        else:
            left.append(url)
            route.abort()

    context.route("**/*", guard)
    return context, context.new_page(), left


def log_in(page: Any, email: str) -> None:
    """Log in through the form with the keyboard-free path (fill and click)."""
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def settled(page: Any) -> None:
    """Wait until htmx has no request, swap or settle under way."""
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def loaded(page: Any) -> None:
    """Wait until the page has loaded and every part it loads on its own has been swapped
    in: no ``hx-trigger="load"`` placeholder left, no htmx request or swap under way.
    Playwright's ``networkidle`` would wait the same and then 500 ms more of silence."""
    page.wait_for_load_state("load")
    page.wait_for_function("!document.querySelector('[hx-trigger=\"load\"]')")
    settled(page)
