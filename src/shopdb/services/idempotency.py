"""Idempotency-Keys: a write's response stored under the client's key, in the write's transaction.

A client that repeats a request with the same key gets the first response back and
nothing is written again. The key row is inserted by a ``before_commit`` hook inside the
service's own transaction, so a write that committed always has its key, and one that
rolled back never does. Two concurrent requests with one key cannot both commit: the
second insert of the primary key fails (or waits for the first and then fails), and its
whole transaction, write included, rolls back.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection, Engine

from shopdb.db.schema import idempotency_keys
from shopdb.db.types import utcnow
from shopdb.errors import ConstraintViolation, InvalidInput
from shopdb.services._tx import before_commit, run_in_transaction

MAX_KEY_LENGTH = 64
KEY_PATTERN = r"^[\x21-\x7e]+$"
"""The characters of an Idempotency-Key: printable ASCII, no spaces (1 to ``MAX_KEY_LENGTH``)."""
_KEY = re.compile(KEY_PATTERN)

Render = Callable[[Connection, Any], tuple[int, str, str | None]]
"""Builds (status code, JSON body, Location or None) from the write's result, in its
transaction."""


@dataclass(frozen=True)
class StoredResponse:
    """The first response given under a key, and the fingerprint of its request."""

    request_hash: str
    status_code: int
    body: str
    location: str | None


def check_key(key: str) -> str:
    """Return ``key`` if it is 1 to 64 printable ASCII characters without spaces.

    Raises:
        InvalidInput: it is not.
    """
    if len(key) > MAX_KEY_LENGTH or not _KEY.fullmatch(key):
        raise InvalidInput(
            f"an Idempotency-Key is 1 to {MAX_KEY_LENGTH} printable ASCII characters, no spaces"
        )
    return key


def fingerprint(method: str, path: str, body: Any) -> str:
    """A hash of what a request asks for: its method, path and JSON body (key order aside)."""
    canonical = json.dumps([method.upper(), path, body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def find_response(engine: Engine, key: str) -> StoredResponse | None:
    """The response stored under ``key``, or None. Read-only."""
    row = run_in_transaction(
        engine,
        lambda conn: conn.execute(
            select(
                idempotency_keys.c.request_hash,
                idempotency_keys.c.status_code,
                idempotency_keys.c.response_body,
                idempotency_keys.c.location,
            ).where(idempotency_keys.c.idempotency_key == key)
        ).first(),
        write=False,
    )
    return None if row is None else StoredResponse(*row)


@contextmanager
def recording(
    key: str,
    request_hash: str,
    api_key_id: int | None,
    render: Render,
    *,
    staff_id: int | None = None,
) -> Iterator[None]:
    """Store the response of the write transaction run in this block under ``key``.

    The key belongs to an API key (``api_key_id``) or a staff account's form
    (``staff_id``). The block must run exactly one service call that writes. If the key
    is taken by the time the row is inserted, the insert raises ``ConstraintViolation``
    naming ``pk_idempotency_keys`` and the write is rolled back with it.
    """

    def store(conn: Connection, result: Any) -> None:
        status, body, location = render(conn, result)
        _insert_key(conn, key, request_hash, api_key_id, staff_id, (status, body, location))

    with before_commit(store):
        yield


def record_key(engine: Engine, key: str, request_hash: str, staff_id: int, body: str) -> bool:
    """Store ``key`` for a form whose action wrote nothing; False if it was taken.

    Only for an action that ran no write transaction (there is no write to tie the key
    to): the key row is its own transaction.
    """
    try:
        run_in_transaction(
            engine,
            lambda conn: _insert_key(conn, key, request_hash, None, staff_id, (200, body, None)),
        )
    except ConstraintViolation as exc:
        if exc.constraint == "pk_idempotency_keys":
            return False
        raise
    return True


def _insert_key(
    conn: Connection,
    key: str,
    request_hash: str,
    api_key_id: int | None,
    staff_id: int | None,
    response: tuple[int, str, str | None],
) -> None:
    status, body, location = response
    conn.execute(
        _INSERT_KEY,
        {
            "idempotency_key": key,
            "api_key_id": api_key_id,
            "staff_id": staff_id,
            "request_hash": request_hash,
            "status_code": status,
            "response_body": body,
            "location": location,
            "created_at": utcnow(),
        },
    )


# built once: building the statement cost more than executing it (every API write
# with an Idempotency-Key runs it)
_INSERT_KEY = insert(idempotency_keys)
