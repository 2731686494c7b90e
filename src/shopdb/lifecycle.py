"""Every status vocabulary and every allowed change of status, in one place.

The schema's CHECK constraints list these values; the services refuse any other change;
the generator only produces these; the audit (``shopdb check``) and the analytics read
the same lists through their SQL fragments. What each order status means for the rows
around the order:

- ``pending``: placed, stock taken (``sale`` movements), no completed payment yet
  (failed attempts may exist).
- ``paid``: completed payments sum to ``total_cents``.
- ``shipped``: paid, and a ``shipments`` row exists.
- ``delivered``: shipped, and the shipment has ``delivered_at``.
- ``cancelled``: cancelled before shipping; its stock came back (``return`` movements equal
  its ``sale`` movements) and any captured payment is marked ``refunded``.
- ``refunded``: paid, shipped or delivered, then the money was returned: its payments are
  marked ``refunded`` (goods sent back are not restocked automatically).
"""

from __future__ import annotations

from types import MappingProxyType

INITIAL_STATUS = "pending"
RECOGNIZED_STATUSES = ("paid", "shipped", "delivered")
"""Statuses whose orders count as revenue."""
REFUNDED = "refunded"
"""The status of an order whose money was returned: recognized once, never again (the
product rollups keep its units as ``refunded_units``)."""

TRANSITIONS: MappingProxyType[str, frozenset[str]] = MappingProxyType(
    {
        "pending": frozenset({"paid", "cancelled"}),
        "paid": frozenset({"shipped", "cancelled", "refunded"}),
        "shipped": frozenset({"delivered", "refunded"}),
        "delivered": frozenset({"refunded"}),
        "cancelled": frozenset(),
        "refunded": frozenset(),
    }
)


ORDER_STATUSES = tuple(TRANSITIONS)
"""Every order status, in lifecycle order (the generator stores them by this index)."""

PAYMENT_METHODS = ("card", "paypal", "bank_transfer", "gift_card")
PAYMENT_COMPLETED = "completed"
"""An approved payment: the money was captured."""
PAYMENT_FAILED = "failed"
"""A declined attempt: no money moved; the order stays unpaid."""
PAYMENT_REFUNDED = "refunded"
"""Captured money that was returned (the order was cancelled or refunded)."""
PAYMENT_STATUSES = (PAYMENT_COMPLETED, PAYMENT_FAILED, PAYMENT_REFUNDED)
"""Every payment status, in this order (the generator stores them by this index)."""

PAYMENT_REFUND = (PAYMENT_COMPLETED, PAYMENT_REFUNDED)
"""The one change of a payment's status: captured money returned when its order is
cancelled or refunded. A payment is written completed or failed (``payment_status``)."""
PAYMENT_TRANSITIONS: MappingProxyType[str, frozenset[str]] = MappingProxyType(
    {
        status: frozenset({PAYMENT_REFUND[1]}) if status == PAYMENT_REFUND[0] else frozenset()
        for status in PAYMENT_STATUSES
    }
)

MOVEMENT_REASONS = ("receipt", "sale", "return", "adjustment")
"""Why stock changed: goods received, sold, given back by a cancellation, or counted."""

RUN_STATUSES = ("running", "complete", "failed")
"""A generation run is ``running`` until it ends ``complete`` or ``failed``."""


def payment_status(approved: bool) -> str:
    """The status a new payment is written with."""
    return PAYMENT_COMPLETED if approved else PAYMENT_FAILED


def can_transition(current: str, target: str) -> bool:
    """Whether an order in ``current`` status may move to ``target``."""
    return target in TRANSITIONS.get(current, frozenset())
