"""The API served for real on 127.0.0.1 and a free port, for the tests that race clients.

``serving`` runs the app in a uvicorn thread of the test process (``threaded_server``);
``serving_process`` runs the ``shopdb serve`` command itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy.engine import URL

from shopdb.api.app import create_app
from shopdb.api.config import load_api_config
from shopdb.config import settings_for
from threaded_server import free_port, serving_app


@contextmanager
def serving(db_url: URL, **env: str) -> Iterator[str]:
    """Serve the API on ``db_url`` until the block ends; yield its base URL.

    ``env`` holds ``SHOPDB_API_*`` settings, read as ``shopdb serve`` reads them.
    """
    app = create_app(settings_for(db_url), load_api_config({**os.environ, **env}))
    with serving_app(app, access_log=False) as base:
        yield base


@contextmanager
def serving_process(
    db_url: URL, options: Sequence[str], env: dict[str, str]
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``serving`` with more ``shopdb serve`` options; yield the base URL and the process."""
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "shopdb"),
        "--db",
        db_url.render_as_string(hide_password=False),
        "serve",
        "--port",
        str(port),
        *options,
    ]
    process = subprocess.Popen(
        command,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"shopdb serve exited: {process.stderr.read() if process.stderr else ''}"
                )
            try:
                if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("shopdb serve did not become ready in 180 s")
            time.sleep(0.1)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()
