"""The order lifecycle: which status changes are allowed, in one place.

The services refuse any other change; the generator only produces these; the audit
(``shopdb check``) holds the stored data to the same rules. What each status means for
the rows around the order:

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


def can_transition(current: str, target: str) -> bool:
    """Whether an order in ``current`` status may move to ``target``."""
    return target in TRANSITIONS.get(current, frozenset())
