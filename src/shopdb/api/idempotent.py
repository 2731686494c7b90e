"""Running a write under an optional ``Idempotency-Key`` and answering with its response.

Without a key the write runs and its response is rendered in its transaction. With
one, the write runs with its response stored under the key in its own transaction
(``services.idempotency``); if the key is stored already, that insert (or the write
itself: an order already paid) fails, the write is rolled back, and the stored
response is replayed (``Idempotent-Replayed: true``) when the request is the same, or
refused with 422 when it differs. A write that fails stores nothing, so repeating it
with the key tries again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Header, Request, Response
from pydantic import BaseModel
from sqlalchemy.engine import Engine

from shopdb.api.deps import Principal
from shopdb.api.problems import ApiProblem
from shopdb.errors import ShopError
from shopdb.services._tx import before_commit, run_in_transaction
from shopdb.services.idempotency import (
    KEY_PATTERN,
    MAX_KEY_LENGTH,
    Render,
    StoredResponse,
    check_key,
    find_response,
    fingerprint,
    recording,
)

REPLAYED = "Idempotent-Replayed"
KEY_HEADER = "Idempotency-Key"
KEY_PARAMETER = "IdempotencyKey"
"""The header's name among the OpenAPI document's ``components/parameters``."""

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias=KEY_HEADER,
        min_length=1,
        max_length=MAX_KEY_LENGTH,
        pattern=KEY_PATTERN,
        description=f"1-{MAX_KEY_LENGTH} printable ASCII characters, no spaces; a repeat "
        "with the same key and body replays the first response and writes nothing",
    ),
]
"""The header every route that honours an Idempotency-Key takes, validated at the edge
with the limits ``services.idempotency.check_key`` enforces."""


def share_key_parameter(document: dict[str, Any]) -> None:
    """Declare the Idempotency-Key header once in ``document``, referenced by every route.

    The declaration is the one FastAPI made of ``IdempotencyKeyHeader`` (its length
    limits and pattern), less the ``null`` a header cannot be (and the description the
    schema repeats).
    """
    shared: dict[str, Any] | None = None
    for path in document.get("paths", {}).values():
        for operation in path.values():
            parameters = operation.get("parameters", [])
            for i, parameter in enumerate(parameters):
                if parameter.get("in") == "header" and parameter.get("name") == KEY_HEADER:
                    shared = shared or _without_null(parameter)
                    parameters[i] = {"$ref": f"#/components/parameters/{KEY_PARAMETER}"}
    if shared is not None:
        document.setdefault("components", {}).setdefault("parameters", {})[KEY_PARAMETER] = shared


def _without_null(parameter: dict[str, Any]) -> dict[str, Any]:
    schema = parameter["schema"]
    strings = [v for v in schema.get("anyOf", [schema]) if v.get("type") == "string"]
    return {**parameter, "schema": strings[0]}


def _response(status: int, body: str, location: str | None, replayed: bool) -> Response:
    headers = {REPLAYED: "true" if replayed else "false"}
    if location is not None:
        headers["Location"] = location
    return Response(body, status_code=status, headers=headers, media_type="application/json")


def _replay(stored: StoredResponse, request_hash: str) -> Response:
    if stored.request_hash != request_hash:
        raise ApiProblem(
            422,
            "idempotency-key-reused",
            "Idempotency-Key reused",
            "this Idempotency-Key was used for a different request; use a new key",
            header="Idempotency-Key",
        )
    return _response(stored.status_code, stored.body, stored.location, replayed=True)


def write_and_render(
    engine: Engine, write: Callable[[], Any], render: Render
) -> tuple[int, str, str | None]:
    """Run ``write`` (one service call) and ``render`` its response in its transaction.

    The response is read before the write's COMMIT (``services._tx.before_commit``),
    so it shows what the write did and costs no second transaction: no second
    checkout, BEGIN and COMMIT. A write that ran no write transaction (nothing to do)
    is rendered in a read-only one.
    """
    rendered: list[tuple[int, str, str | None]] = []

    def capture(conn: Any, result: Any) -> None:
        rendered[:] = [render(conn, result)]

    with before_commit(capture):
        result = write()
    if rendered:
        return rendered[0]
    return run_in_transaction(engine, lambda conn: render(conn, result), write=False)


def run_idempotent(
    request: Request,
    engine: Engine,
    principal: Principal,
    key: str | None,
    payload: BaseModel | None,
    write: Callable[[], Any],
    render: Render,
) -> Response:
    """Run ``write`` (one service call) once per key; answer with ``render``'s response."""
    if key is None:
        return _response(*write_and_render(engine, write, render), replayed=False)
    key = check_key(key)
    body_json = None if payload is None else payload.model_dump(mode="json", exclude_unset=True)
    request_hash = fingerprint(request.method, request.url.path, body_json)
    # no read of the key first (a transaction of its own on every request): the write
    # runs with the key's insert in its transaction, and a key already stored makes
    # that insert, or the write itself (an order already paid), fail and roll back
    rendered: list[tuple[int, str, str | None]] = []

    def capture(conn: Any, result: Any) -> tuple[int, str, str | None]:
        rendered[:] = [render(conn, result)]
        return rendered[0]

    try:
        with recording(key, request_hash, principal.api_key_id, capture):
            write()
    except ShopError:
        # the key was stored before, or by a concurrent request: answer as it was
        stored = find_response(engine, key)
        if stored is not None:
            return _replay(stored, request_hash)
        raise
    status, body, location = rendered[0]
    return _response(status, body, location, replayed=False)
