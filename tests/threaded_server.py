"""A real uvicorn serving an ASGI app on 127.0.0.1 from a thread of the test process.

Starting ``shopdb serve`` as a process costs seconds (a new interpreter importing the
whole stack); a thread costs milliseconds and still serves over a real socket with
uvicorn's own event loop, so concurrent HTTP clients race exactly as they would against
the process. ``tests/api/test_api_cli.py`` runs the command itself once.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving_app(app: Any, **options: Any) -> Iterator[str]:
    """Serve ``app`` on a free loopback port until the block ends; yield its base URL.

    ``options`` go to ``uvicorn.Config`` (the lifespan runs: the app's engine is built
    and disposed as under ``shopdb serve``).
    """
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=free_port(),
        log_level="warning",
        lifespan="on",
        **options,
    )
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not served.started:
        if time.monotonic() > deadline or not thread.is_alive():
            served.should_exit = True
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        served.should_exit = True
        thread.join(30)
