"""A real ``shopdb serve`` on 127.0.0.1 and a free port, for the tests that race clients."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy.engine import URL


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(db_url: URL, **env: str) -> Iterator[str]:
    """Run ``shopdb serve`` on ``db_url`` until the block ends; yield its base URL."""
    with serving_process(db_url, (), env) as (base, _process):
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
