"""The REST API against the services it calls, measured in the same run on one database.

Usage: python bench/bench_api.py DB_URL [SECONDS] [CLIENTS]

The database must hold a shop (``shopdb bench seed`` or ``shopdb generate``). Prints:

1. the ``bench oltp`` mix (place 45, pay 40, cancel 5, restock 5, lookup 5) for SECONDS
   (after 3 s of warm-up, not counted) with CLIENTS threads calling the services
   directly, then the same mix through HTTP against ``shopdb serve --no-access-log``
   (one uvicorn worker) on 127.0.0.1:
   throughput, p50/p99 latency, 5xx count, HTTP as a share of direct, and the CPU time
   per transaction of each process (the direct run's own; the server's and the load
   generator's): the load generator shares the machine's cores with the server, so its
   CPU is shown apart. It is ``http.client`` on one keep-alive connection per thread,
   several times lighter than a full-featured client;
2. ``GET /v1/orders/{id}`` and the first page of ``/v1/products`` against
   ``get_order`` (the order and its items, what the response shows) and
   ``list_products``, one client, sequentially;
   and, as the ceiling any route can reach on this machine, ``GET /health`` (routing,
   no database, no key) and a bare ASGI app on uvicorn (HTTP alone: no framework),
   each in a process of its own, with the same client;
3. the cost of one ``GET /v1/orders/{id}`` and of one products page split into
   database (the service call; the key lookup is cached), serialization (building and
   dumping the response model as the route does) and framework (the rest of the
   server's CPU: HTTP, routing, validation, dependencies, uvicorn, the thread hop),
   with the server's CPU per request measured from its process.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# tests/api/server.py, and tests/threaded_server.py, which it imports
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "api"))
from pydantic import TypeAdapter
from server import free_port, serving_process

from shopdb.api.responses import page_json
from shopdb.api.schemas.catalog import ProductListed
from shopdb.api.schemas.common import ListPage
from shopdb.api.schemas.orders import OrderPublic
from shopdb.config import load_settings
from shopdb.db.engine import open_engine
from shopdb.services import get_order, place_order
from shopdb.services.api_keys import create_api_key
from shopdb.services.browse import list_products
from shopdb.workload.catalog import load_catalog
from shopdb.workload.clients import DEFAULT_MIX, parse_mix, run_clients

MIX = parse_mix(DEFAULT_MIX)
_TICK_S = 1 / os.sysconf("SC_CLK_TCK")
WARMUP_S = 3.0
PRODUCT_PAGE: TypeAdapter[ListPage[ProductListed]] = TypeAdapter(ListPage[ProductListed])
"""How the products route checks and dumps a page."""
ITEMS = frozenset({"items"})
"""What ``GET /v1/orders/{id}`` shows, and so reads, without ``expand``."""


class _Response:
    def __init__(self, status_code: int, body: bytes) -> None:
        self.status_code, self.body = status_code, body

    def json(self) -> Any:
        return json.loads(self.body)


class _Client:
    """One keep-alive connection: the lightest client the standard library has."""

    def __init__(self, base: str, key: str) -> None:
        where = urlsplit(base)
        self.conn = http.client.HTTPConnection(where.hostname or "", where.port, timeout=60)
        self.headers = {"Authorization": f"Bearer {key}"}

    def _call(self, method: str, path: str, body: Any, headers: dict[str, str]) -> _Response:
        sent = {**self.headers, **headers}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        self.conn.request(method, path, body=data, headers=sent)
        answer = self.conn.getresponse()
        return _Response(answer.status, answer.read())

    def get(self, path: str) -> _Response:
        return self._call("GET", path, None, {})

    def post(self, path: str, json: Any = None, headers: dict[str, str] | None = None) -> _Response:
        return self._call("POST", path, json, headers or {})

    def close(self) -> None:
        self.conn.close()


BARE_ASGI = """
import sys, uvicorn
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b'{"status":"ok"}'})
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning",
            access_log=False)
"""
"""HTTP alone on uvicorn with its defaults as ``shopdb serve`` runs it (httptools, uvloop
where installed): the most one process answers on this machine, before any framework."""


def _bare_rate(seconds: float) -> float:
    """Sequential requests per second to ``BARE_ASGI`` in a process of its own."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", BARE_ASGI, str(port)])
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                client = _Client(f"http://127.0.0.1:{port}", "none")
                client.get("/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        _rate(lambda: client.get("/"), 1.0)
        rate = _rate(lambda: client.get("/"), seconds)
        client.close()
        return rate
    finally:
        process.terminate()
        process.wait(10)


def _cpu_s(pid: int) -> float:
    """A process's user and system CPU time so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * _TICK_S


class _Http:
    """One client thread's calls of the mix, through HTTP."""

    def __init__(self, base: str, key: str, catalog: Any, shared: dict[str, Any], seed: int):
        self.http = _Client(base, key)
        self.catalog, self.shared, self.rng = catalog, shared, random.Random(seed)

    def place(self) -> int:
        basket = self.catalog.basket(self.rng)
        body = {
            "user_id": self.rng.choice(self.catalog.user_ids),
            "items": [{"product_id": p, "quantity": q} for p, q in basket.items()],
        }
        response = self.http.post("/v1/orders", json=body)
        if response.status_code == 201:
            with self.shared["lock"]:
                self.shared["payable"].append(response.json()["order_id"])
                self.shared["recent"].append(response.json()["order_id"])
        return response.status_code

    def pay(self) -> int | None:
        with self.shared["lock"]:
            if not self.shared["payable"]:
                return None
            order_id = self.shared["payable"].pop()
        key = f"bench-{uuid.uuid4().hex}"
        return self.http.post(
            f"/v1/orders/{order_id}/payments", headers={"Idempotency-Key": key}
        ).status_code

    def _recent(self) -> int | None:
        with self.shared["lock"]:
            recent = self.shared["recent"]
            return recent[self.rng.randrange(len(recent))] if recent else None

    def cancel(self) -> int | None:
        order_id = self._recent()
        return (
            None
            if order_id is None
            else self.http.post(f"/v1/orders/{order_id}/cancel").status_code
        )

    def restock(self) -> int:
        product = self.rng.choice(self.catalog.product_ids)
        quantity = self.rng.randint(20, 100)
        return self.http.post(
            f"/v1/products/{product}/restock", json={"quantity": quantity}
        ).status_code

    def lookup(self) -> int | None:
        order_id = self._recent()
        return None if order_id is None else self.http.get(f"/v1/orders/{order_id}").status_code

    def refund(self) -> None:
        return None


def _http_phase(base: str, key: str, catalog: Any, clients: int, seconds: float) -> dict[str, Any]:
    shared: dict[str, Any] = {"lock": threading.Lock(), "payable": [], "recent": []}
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    kinds = [k for k, w in MIX.items() if w > 0]
    weights = [MIX[k] for k in kinds]

    def loop(i: int) -> None:
        client = _Http(base, key, catalog, shared, i)
        mine: list[tuple[float, int]] = []
        while time.perf_counter() < deadline:
            call: Callable[[], int | None] = getattr(client, client.rng.choices(kinds, weights)[0])
            started = time.perf_counter()
            status = call()
            if status is not None:
                mine.append((time.perf_counter() - started, status))
        client.http.close()
        with lock:
            latencies.extend(t for t, _ in mine)
            statuses.extend(s for _, s in mine)

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"count": len(latencies), "latencies": latencies, "statuses": statuses}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def _rate(call: Callable[[], Any], seconds: float) -> float:
    count, deadline = 0, time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        call()
        count += 1
    return count / seconds


def _served(client: _Client, pid: int, path: str, seconds: float) -> tuple[float, float]:
    """(wall µs, server CPU µs) per ``GET path``, one request at a time for ``seconds``."""
    before = _cpu_s(pid)
    total_us = 1e6 / _rate(lambda: client.get(path), seconds)
    served = _cpu_s(pid) - before
    return total_us, served / (seconds * 1e6 / total_us) * 1e6


def _per_call(call: Callable[[], Any], repeat: int) -> float:
    """CPU µs per call in this process (CPU, like the server's figure: load inflates less)."""
    started = time.process_time()
    for _ in range(repeat):
        call()
    return (time.process_time() - started) / repeat * 1e6


def main() -> int:
    """Run the three measurements and print them."""
    if len(sys.argv) not in (2, 3, 4):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    url = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
    clients = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    settings = load_settings(os.environ, url)
    # a connection per client thread, as ``bench oltp`` and the server's pool have: a
    # smaller pool opens and closes connections all the time, on both sides alike
    engine = open_engine(settings, pool_size=clients + 2, max_overflow=2)
    catalog = load_catalog(engine)
    key = create_api_key(engine, "clerk", "bench_api")[1]
    backend = settings.database_url.get_backend_name()
    print(f"bench_api on {backend}: {clients} clients, {seconds:g} s per phase")

    load = os.getloadavg()
    # both sides warm up first (connections opened, first statements compiled, lazy
    # imports done): the first requests to a fresh server cost seconds, not milliseconds
    run_clients(engine, catalog, MIX, clients, WARMUP_S, name="warm-up")
    cpu = time.process_time()
    direct, _acks = run_clients(engine, catalog, MIX, clients, seconds, name="services")
    direct_cpu = time.process_time() - cpu
    direct_latencies = [t for s in direct.by_type.values() for t in s.latencies_s]
    direct_rate = len(direct_latencies) / seconds
    # no background fold: the direct run has none either, and a fold would land in one
    options = ["--no-access-log", "--fold-interval", "0"]
    with serving_process(settings.database_url, options, {}) as (base, server):
        _http_phase(base, key, catalog, clients, WARMUP_S)
        server_cpu, cpu = _cpu_s(server.pid), time.process_time()
        http = _http_phase(base, key, catalog, clients, seconds)
        client_cpu, server_cpu = time.process_time() - cpu, _cpu_s(server.pid) - server_cpu
        http_rate = http["count"] / seconds
        server_errors = sum(1 for s in http["statuses"] if s >= 500)
        print(f"   (load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})")
        print("\n1. the bench oltp mix          tx/s      p50 ms   p99 ms   5xx   CPU ms/tx")
        for label, rate, times, bad, used in (
            ("services directly", direct_rate, direct_latencies, direct.errors, direct_cpu),
            ("through HTTP", http_rate, http["latencies"], server_errors, server_cpu),
        ):
            p50, p99 = _pct(times, 0.5), _pct(times, 0.99)
            per_tx = used / max(1.0, rate * seconds) * 1000
            print(f"   {label:<22} {rate:9.0f}  {p50:8.2f} {p99:8.2f}   {bad:3d}   {per_tx:8.2f}")
        print(f"   HTTP / direct          {http_rate / direct_rate:9.0%}")
        print(
            f"   (the load generator: {client_cpu / max(1, http['count']) * 1000:.2f} CPU ms/tx "
            "on the same cores; the server's figure above is the server process alone)"
        )

        order_id = place_order(engine, catalog.user_ids[0], catalog.basket(random.Random(1)))
        client = _Client(base, key)
        point = seconds / 2
        rows = [
            (
                "GET /v1/orders/{id}",
                lambda: client.get(f"/v1/orders/{order_id}"),
                lambda: get_order(engine, order_id, ITEMS),
            ),
            (
                "GET /v1/products",
                lambda: client.get("/v1/products"),
                lambda: list_products(engine, limit=50),
            ),
        ]
        print("\n2. one client, sequential     HTTP/s  direct/s  HTTP/direct")
        needed = 0.0
        for name, over_http, direct_call in rows:
            a, b = _rate(over_http, point), _rate(direct_call, point)
            print(f"   {name:<24} {a:8.0f}  {b:8.0f}  {a / b:9.0%}")
            needed = max(needed, b / 2)
        order_cost = _served(client, server.pid, f"/v1/orders/{order_id}", point)
        page_cost = _served(client, server.pid, "/v1/products", point)
        # last: the client's connection to the server idles while the bare app runs
        health = _rate(lambda: client.get("/health"), point)
        bare = _bare_rate(point)
        print(f"   {'GET /health (ceiling)':<24} {health:8.0f}")
        print(f"   {'bare ASGI on uvicorn':<24} {bare:8.0f}")
        print(
            f"   (half of the fastest direct call is {needed:.0f}/s: a route reaching it would "
            f"answer {needed / bare:.0%} of the bare server's rate)"
        )
        client.close()

    view = get_order(engine, order_id, ITEMS)
    page = list_products(engine, limit=50)
    splits = (
        (
            "GET /v1/orders/{id}",
            order_cost,
            _per_call(lambda: get_order(engine, order_id, ITEMS), 300),
            _per_call(lambda: OrderPublic.from_view(view, ITEMS).model_dump_json(), 3000),
        ),
        (
            "GET /v1/products",
            page_cost,
            _per_call(lambda: list_products(engine, limit=50), 300),
            _per_call(lambda: page_json(PRODUCT_PAGE, page.rows, True, "x"), 300),
        ),
    )
    print("\n3. per request, µs (one client; all CPU but the first)")
    print("                     total (wall)  server CPU  database  serialization  framework")
    for name, (total_us, server_us), database_us, serial_us in splits:
        framework_us = max(0.0, server_us - database_us - serial_us)
        print(
            f"   {name:<22} {total_us:8.0f}  {server_us:10.0f}  {database_us:8.0f}  "
            f"{serial_us:13.0f}  {framework_us:9.0f}"
        )
    print(
        "   (server CPU: the server process's, per request; database: the service call in\n"
        "   this process, the key lookup cached; serialization: the response model from the\n"
        "   service's answer, to JSON, as the route builds it; framework: the rest of the\n"
        "   server's CPU: uvicorn, HTTP parsing, routing, validation, dependencies, the\n"
        "   thread hop)"
    )
    engine.dispose()
    return 0 if server_errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
