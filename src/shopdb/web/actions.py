"""Doing something from a form exactly once, and reading a form's figures.

Every action form carries a fresh random key. The action's service call stores the key
in ``idempotency_keys``, the API's table of Idempotency-Keys, in the same transaction
as its write (``services.idempotency.recording``): a key is stored if and only if the
action committed. A second submission of the same form finds the key stored and changes
nothing; two at once cannot both commit (the key's primary key refuses one, and its
write rolls back with it). Payments also pass the key on as their idempotency key.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from sqlalchemy.engine import Connection, Engine

from shopdb.errors import InvalidInput, ShopError
from shopdb.services.idempotency import find_response, fingerprint, record_key, recording
from shopdb.services.staff import StaffAccount

T = TypeVar("T")


def new_action_key() -> str:
    """A fresh key for one rendered action form."""
    return secrets.token_hex(16)


def run_once(
    engine: Engine, staff: StaffAccount, key: str, action: str, do: Callable[[], T]
) -> tuple[bool, T | None]:
    """Run ``do`` (one service call) unless a form with ``key`` was already acted on.

    Returns ``(True, result)`` when it ran, ``(False, None)`` for a repeated submission
    (sent again after the first committed, or at the same time as it).

    Raises:
        InvalidInput: an empty or malformed key.
        Exception: whatever ``do`` raised (a refusal, a lost connection, a bug): its
            transaction rolled back with the key's row, so nothing was written and the
            same form can be sent again.
    """
    if not key or len(key) > 64 or not key.isalnum():
        raise InvalidInput("this form has no valid action key: reload the page and retry")
    if find_response(engine, key) is not None:
        return False, None
    request_hash = fingerprint("POST", action, None)
    body = json.dumps({"action": action})
    wrote: list[bool] = []

    def render(conn: Connection, result: Any) -> tuple[int, str, str | None]:
        wrote.append(True)
        return 200, body, None

    try:
        with recording(key, request_hash, None, render, staff_id=staff.staff_id):
            result = do()
    except ShopError:
        # a concurrent submission of this form committed first: its key refused this
        # one's, or its write made this one's a refusal (the order is paid already)
        if find_response(engine, key) is not None:
            return False, None
        raise
    if not wrote and not record_key(engine, key, request_hash, staff.staff_id, body):
        return False, None
    return True, result


def parse_amount(raw: str | None, what: str) -> int | None:
    """A decimal amount typed in a form (``12.50``) in cents; None when left empty.

    Raises:
        InvalidInput: not a non-negative amount with at most two decimals.
    """
    text = (raw or "").strip().replace(",", "")
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise InvalidInput(f"bad amount for {what}: {raw!r} (use e.g. 12.50)") from None
    cents = amount * 100
    if not amount.is_finite() or amount < 0 or cents != cents.to_integral_value():
        raise InvalidInput(f"bad amount for {what}: {raw!r} (use e.g. 12.50)")
    if cents > 10**15:
        raise InvalidInput(f"amount for {what} is too large")
    return int(cents)
