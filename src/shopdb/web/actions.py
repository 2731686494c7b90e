"""Doing something from a form exactly once, and reading a form's figures.

Every action form carries a fresh random key. The first submission claims it
(``staff_action_keys``' primary key decides between two at once) and runs the service;
a second submission of the same form finds the key taken and changes nothing. An
action that fails (refused, or the database lost) gives its key back, so the form can be
sent again. Payments
also pass the key on as their idempotency key.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from sqlalchemy.engine import Engine

from shopdb.errors import InvalidInput
from shopdb.services.staff import StaffAccount, claim_action_key, release_action_key

T = TypeVar("T")


def new_action_key() -> str:
    """A fresh key for one rendered action form."""
    return secrets.token_hex(16)


def run_once(
    engine: Engine, staff: StaffAccount, key: str, action: str, do: Callable[[], T]
) -> tuple[bool, T | None]:
    """Run ``do`` unless a form with ``key`` was already acted on.

    Returns ``(True, result)`` when it ran, ``(False, None)`` for a repeated submission.

    Raises:
        InvalidInput: an empty or malformed key.
        Exception: whatever ``do`` raised (a refusal, a lost connection, a bug): its
            transaction rolled back, so nothing was written, and the key is released, so
            the same form can be sent again. Only a process that dies between the claim
            and the action leaves the key claimed with nothing done; the page's reload
            renders a new key.
    """
    if not key or len(key) > 64 or not key.isalnum():
        raise InvalidInput("this form has no valid action key: reload the page and retry")
    if not claim_action_key(engine, key, staff.staff_id, action):
        return False, None
    try:
        return True, do()
    except Exception:
        release_action_key(engine, key)
        raise


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
