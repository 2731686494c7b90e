"""The dashboard's speed: server time per page and per card, LCP and CLS in headless
Chromium with a cold cache, and JavaScript bytes (gzipped) per page.

Serves the dashboard with uvicorn on 127.0.0.1 over an existing shop (``--db``, e.g. the
demo's SQLite file or a server database made by ``shopdb generate``), logs in with a
temporary staff account (removed at the end) and prints, next to a same-run baseline
(the login page, which reads no shop data, and one ``select 1`` round trip):

- the overview's server time (``Server-Timing`` total) and each card's query time,
  median of ``--repeat`` requests after one warm-up;
- the same for the other pages' totals (and each card of an analytics page), and for
  each part a page loads on its own (the htmx fragments: analytics cards that read no
  rollup, customers' segments);
- largest contentful paint and cumulative layout shift of the overview, each from a
  fresh browser context (cold cache), median of ``--repeat`` loads;
- JavaScript per page: the scripts Chromium loaded, gzipped at level 6.

    .venv/bin/python bench/bench_dashboard.py --db sqlite:///shopdb.sqlite3
    .venv/bin/python bench/bench_dashboard.py --db mysql://root@127.0.0.1/shop_sf1
"""

from __future__ import annotations

import argparse
import gzip
import re
import secrets
import socket
import statistics
import sys
import threading
import time
from contextlib import asynccontextmanager
from typing import Any

import httpx
import uvicorn
from argon2 import PasswordHasher
from fastapi import FastAPI
from sqlalchemy import delete, insert, text

from shopdb.config import Settings, parse_database_url, settings_for
from shopdb.db.engine import open_engine
from shopdb.db.schema import staff_accounts
from shopdb.db.types import utcnow
from shopdb.web import mount
from shopdb.web.security import LoginThrottle

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = (
    "/",
    "/orders",
    "/orders/1",
    "/inventory",
    "/analytics/sales",
    "/analytics/customers",
    "/analytics/products",
    "/customers",
    "/customers/1",
    "/inventory/1",
)
OBSERVE = """
window.__lcp = 0; window.__cls = 0;
new PerformanceObserver(l => { for (const e of l.getEntries()) window.__lcp = e.startTime; })
  .observe({type: 'largest-contentful-paint', buffered: true});
new PerformanceObserver(l => {
  for (const e of l.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
})
  .observe({type: 'layout-shift', buffered: true});
"""


def _app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        app.state.engine = open_engine(settings)
        yield
        app.state.engine.dispose()

    app = FastAPI(lifespan=lifespan)
    mount(app, settings, throttle=LoginThrottle(free=1000))
    return app


def _serve(app: FastAPI) -> tuple[uvicorn.Server, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def _timing(header: str) -> dict[str, float]:
    return {m[0]: float(m[1]) for m in re.findall(r"([\w]+);dur=([\d.]+)", header)}


def _login(client: httpx.Client, email: str, password: str) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token is not None
    done = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token.group(1), "next": "/"},
    )
    if done.status_code != 303:
        sys.exit(f"login failed: {done.status_code}")


def _server_times(client: httpx.Client, repeat: int, *, overview_only: bool = False) -> None:
    client.get("/")
    runs = [_timing(client.get("/").headers["server-timing"]) for _ in range(repeat)]
    login = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get("/login")
        login.append((time.perf_counter() - start) * 1000)
    print(f"\noverview server time, median of {repeat} (ms)")
    for part in runs[0]:
        print(f"  {part:<16} {statistics.median(r[part] for r in runs):8.1f}")
    print(f"  baseline: login page round trip {statistics.median(login):.1f} ms")
    if overview_only:
        return
    print("\nother pages, server total, median (ms); an analytics page's cards below it")
    fragments: list[str] = []
    for path in PAGES[1:]:
        loads = re.findall(r'hx-get="([^"]+)" hx-trigger="load"', client.get(path).text)
        fragments += [url.replace("&amp;", "&") for url in loads]
        parts = _median_parts(client, path, repeat)
        print(f"  {path:<32} {parts.pop('total', float('nan')):8.1f}")
        if path.startswith("/analytics/"):
            for part, ms in parts.items():
                print(f"    {part:<30} {ms:8.1f}")
    print("\nparts a page loads on its own (htmx fragments), server total, median (ms)")
    for path in fragments:
        print(f"  {path[:64]:<64} {_median_total(client, path, repeat, fragment=True):8.1f}")


def _median_parts(
    client: httpx.Client, path: str, repeat: int, *, fragment: bool = False
) -> dict[str, float]:
    """Each part of the page's ``Server-Timing`` (its cards and ``total``), median."""
    headers = {"HX-Request": "true"} if fragment else {}
    runs = [
        _timing(client.get(path, headers=headers).headers.get("server-timing", ""))
        for _ in range(repeat)
    ]
    return {part: statistics.median(r.get(part, float("nan")) for r in runs) for part in runs[0]}


def _median_total(client: httpx.Client, path: str, repeat: int, *, fragment: bool = False) -> float:
    return _median_parts(client, path, repeat, fragment=fragment).get("total", float("nan"))


def _browser(base: str, email: str, password: str, repeat: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        paints, shifts = [], []
        for _ in range(repeat):
            context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base)
            page = context.new_page()
            page.goto("/login")
            page.fill("#email", email)
            page.fill("#password", password)
            page.add_init_script(OBSERVE)
            page.click("button[type=submit]")
            page.wait_for_url("**/")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)
            paints.append(page.evaluate("window.__lcp"))
            shifts.append(page.evaluate("window.__cls"))
            context.close()
        print(f"\noverview in headless Chromium, fresh context each time, median of {repeat}")
        print(f"  LCP {statistics.median(paints):.0f} ms   CLS {statistics.median(shifts):.3f}")
        print("\nJavaScript per page, gzipped (KB)")
        context = browser.new_context(base_url=base)
        page = context.new_page()
        page.goto("/login")
        page.fill("#email", email)
        page.fill("#password", password)
        page.click("button[type=submit]")
        page.wait_for_url("**/")
        scripts: list[str] = []
        page.on(
            "response",
            lambda r: scripts.append(r.url) if r.request.resource_type == "script" else None,
        )
        for path in PAGES:
            scripts.clear()
            page.goto(path)
            page.wait_for_load_state("networkidle")
            # fetched again by URL: a response's own body is gone once the page that loaded
            # it navigates on (the scripts are static files, so the bytes are the same)
            size = sum(
                len(gzip.compress(context.request.get(url).body(), 6)) for url in set(scripts)
            )
            print(f"  {path:<24} {size / 1024:7.1f}")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="the shop's database URL")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--overview-only",
        action="store_true",
        help="time the overview's server time alone (no other page, no browser)",
    )
    args = parser.parse_args()
    settings = settings_for(parse_database_url(args.db))
    engine = open_engine(settings)
    email, password = f"bench-{secrets.token_hex(4)}@example.com", secrets.token_urlsafe(16)
    with engine.begin() as conn:
        conn.execute(
            insert(staff_accounts).values(
                email=email,
                role="admin",
                created_at=utcnow(),
                password_hash=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(
                    password
                ),
            )
        )
        start = time.perf_counter()
        conn.execute(text("select 1"))
        round_trip = (time.perf_counter() - start) * 1000
    print(f"database: {settings.database_url.render_as_string(hide_password=True)}")
    print(f"baseline: select 1 round trip {round_trip:.2f} ms")
    server, base = _serve(_app(settings))
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            _login(client, email, password)
            _server_times(client, args.repeat, overview_only=args.overview_only)
        if not args.overview_only:
            _browser(base, email, password, max(3, args.repeat // 2))
    finally:
        server.should_exit = True
        with engine.begin() as conn:
            conn.execute(delete(staff_accounts).where(staff_accounts.c.email == email))
        engine.dispose()


if __name__ == "__main__":
    main()
