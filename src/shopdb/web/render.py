"""Templates and what every page shares: filters, the layout's context, timings.

Jinja2 with autoescape on for every template. Figures are formatted by the same
functions the report uses (``report.page.money``/``percent``), and each figure a test
may read also carries its raw value in ``data-value``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from shopdb.errors import ShopError
from shopdb.money import money
from shopdb.report.page import percent
from shopdb.services.staff import StaffAccount
from shopdb.web.security import may, request_session, shown_email

T = TypeVar("T")
log = logging.getLogger("shopdb.web")


def _count(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def _when(value: datetime | None) -> str:
    return "-" if value is None else value.strftime("%Y-%m-%d %H:%M")


def _signed_percent(bp: int | None) -> str:
    if bp is None:
        return "n/a"
    return ("+" if bp > 0 else "") + percent(bp)


def make_environment() -> Environment:
    """The Jinja2 environment of the dashboard's templates (autoescaped)."""
    env = Environment(
        loader=PackageLoader("shopdb.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        money=money,
        percent=percent,
        signed_percent=_signed_percent,
        count=_count,
        when=_when,
    )
    return env


@dataclass
class Timings:
    """Durations of a page's parts, reported in the ``Server-Timing`` header."""

    started: float = field(default_factory=time.perf_counter)
    parts: list[tuple[str, float]] = field(default_factory=list)

    @contextmanager
    def measure(self, name: str) -> Iterator[None]:
        """Time the block as part ``name``."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.parts.append((name, (time.perf_counter() - start) * 1000))

    def header(self) -> str:
        """``name;dur=1.2, ..., total;dur=3.4`` in milliseconds."""
        total = (time.perf_counter() - self.started) * 1000
        items = [f"{name};dur={ms:.1f}" for name, ms in self.parts]
        return ", ".join([*items, f"total;dur={total:.1f}"])


@dataclass
class Card:
    """One card's data, or the error that kept it from loading."""

    value: Any = None
    error: str | None = None


def card(timings: Timings, name: str, load: Callable[[], T]) -> Card:
    """Run ``load`` for one card; a failure becomes the card's error, not the page's.

    A shopdb error (a sum too large for SQLite's integers, a query timeout) is shown as
    its one-line message; anything else with its class, and its traceback is logged.
    """
    with timings.measure(name):
        try:
            return Card(load())
        except ShopError as exc:
            log.warning("card %s failed: %s", name, exc)
            return Card(error=str(exc))
        except Exception as exc:  # one failing card must not break the page
            log.exception("card %s failed", name)
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            return Card(error=f"{type(exc).__name__}: {first}")


_CARD_THREADS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="shopdb-card")
"""Where a page's cards load side by side (threads start on first use): each reads on
its own pooled connection, and a database works on them at once, so the page waits for
its slowest card instead of their sum."""


def cards(timings: Timings, loads: Mapping[str, Callable[[], Any]]) -> dict[str, Card]:
    """Run each card's ``load`` at the same time (``card`` for each); return them by name."""
    futures = {name: _CARD_THREADS.submit(card, timings, name, f) for name, f in loads.items()}
    return {name: future.result() for name, future in futures.items()}


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    staff: StaffAccount | None,
    status_code: int = 200,
    timings: Timings | None = None,
    fragment: str | None = None,
) -> HTMLResponse:
    """Render ``template`` inside the layout; add ``Server-Timing`` when timed.

    ``fragment`` names a block of the template that htmx may swap on its own: a request
    whose ``HX-Target`` is that name (the block's element has it as its id) gets just
    the block, rendered from the same template and context; any other request, the page.
    """
    env: Environment = request.app.state.web_templates
    session = request_session(request)
    theme = request.cookies.get("shopdb_theme", "auto")
    base = {
        "request": request,
        "staff": staff,
        "may_act": may(staff, "orders:write"),
        "may": lambda scope: may(staff, scope),
        "email": lambda address: shown_email(staff, address),
        "csrf": session.csrf if session else "",
        "theme": theme if theme in ("light", "dark") else "auto",
        "path": request.url.path,
    }
    page = env.get_template(template)
    if fragment is not None and request.headers.get("HX-Target") == fragment:
        html = "".join(page.blocks[fragment](page.new_context({**base, **context})))
    else:
        html = page.render({**base, **context})
    response = HTMLResponse(html, status_code=status_code)
    if fragment is not None:
        response.headers["Vary"] = "HX-Target"
    if timings is not None:
        response.headers["Server-Timing"] = timings.header()
    return response
