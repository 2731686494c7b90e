"""Sync routes run on the app's own thread pool, handed over by asyncio itself.

FastAPI runs a sync endpoint through anyio's worker threads: a capacity limiter, a
cancel scope, run-scoped variables and a queue around every call, about 40 µs of the
event loop's CPU per request on this machine against half that for asyncio's
``run_in_executor`` (``bench/bench_api.py`` shows the framework's share). ``ThreadedRoute``
makes each sync endpoint an async one that hands the call to the event loop's default
executor, which the app's lifespan sets to ``ROUTE_THREADS`` threads (``use_route_threads``),
as many as anyio's default limiter admits: a route still has a thread of its own while
it waits for the database, and analytics keep their own threads and limiter.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from fastapi.routing import APIRoute

ROUTE_THREADS = 40
"""Threads for the sync routes: anyio's default limit, which they had before."""


def in_route_thread(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """``endpoint`` (sync) as an async endpoint that runs it on the loop's executor.

    The wrapper keeps the endpoint's name, docstring and signature (``__wrapped__``), so
    FastAPI reads the same parameters, response model and OpenAPI operation from it; the
    call runs in a copy of the caller's context, as anyio's threads run it.
    """

    @functools.wraps(endpoint)
    async def run(**arguments: Any) -> Any:
        call = functools.partial(endpoint, **arguments)
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(None, context.run, call)

    return run


class ThreadedRoute(APIRoute):
    """An ``APIRoute`` whose sync endpoint runs through ``in_route_thread``."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = in_route_thread(endpoint)
        super().__init__(path, endpoint, **kwargs)


@contextmanager
def use_route_threads() -> Iterator[None]:
    """Give the running event loop ``ROUTE_THREADS`` threads for the sync routes."""
    executor = ThreadPoolExecutor(ROUTE_THREADS, thread_name_prefix="shopdb-route")
    asyncio.get_running_loop().set_default_executor(executor)
    try:
        yield
    finally:
        executor.shutdown(wait=True)
