"""The bounds on every number shopdb accepts, and the proof that nothing overflows.

Every integer column is a signed 64-bit integer on all three backends (SQLite's INTEGER
holds the same range). A value outside it cannot even be bound on SQLite (the driver
raises ``OverflowError``), and arithmetic that leaves it behaves differently on each:
SQLite silently turns the result into a REAL, MariaDB and PostgreSQL refuse the
statement. So the services refuse any value outside these bounds before the database
sees it, and the schema repeats the bounds as named CHECK constraints.

The derivation (``INT64_MAX`` = 2**63 - 1, about 9.22e18):

- a unit price is at most ``MAX_PRICE_CENTS`` = 1e9 (ten million dollars);
- an order line holds at most ``MAX_QUANTITY`` = 1e6 units, so a line's
  quantity x unit price is at most 1e15;
- an order has at most ``MAX_ORDER_LINES`` = 100 lines, so its total is at most
  ``MAX_TOTAL_CENTS`` = 1e17, and a payment (which equals a total) too; sums over one
  order's lines or payments stay below 2**63 with a margin of 92 times;
- a product's stock is at most ``MAX_STOCK`` = 1e9 units, and one restock adds at most
  that, so ``quantity_on_hand + quantity`` is at most 2e9 before the check refuses it,
  and stock x price (an inventory's value) is at most 1e18;
- an inventory movement moves at most ``MAX_STOCK`` units either way.

What no bound can cover is a sum over many rows: 93 orders at ``MAX_TOTAL_CENTS`` pass
2**63 - 1, and the number of orders is not bounded (nor should it be; tightening the
bounds would only move the limit, a realistic shop's total is far below it). MariaDB and
PostgreSQL sum integers into DECIMAL/NUMERIC and stay exact; SQLite's ``sum()`` refuses
with "integer overflow" (its ``total()`` would return a float, wrong for cents). Such a
read is reported as one line, ``NumberOverflow`` (``shopdb.db.overflow``), never a rounded
figure or a traceback.

Ids are only compared, never added: any positive 64-bit integer is a valid id.
"""

from __future__ import annotations

from shopdb.errors import InvalidInput

INT64_MAX = 2**63 - 1
MAX_ID = INT64_MAX
MAX_PRICE_CENTS = 10**9
MAX_QUANTITY = 10**6
MAX_ORDER_LINES = 100
MAX_TOTAL_CENTS = MAX_PRICE_CENTS * MAX_QUANTITY * MAX_ORDER_LINES
MAX_STOCK = 10**9

assert MAX_TOTAL_CENTS * 92 < INT64_MAX
assert 2 * MAX_STOCK < INT64_MAX and MAX_STOCK * MAX_PRICE_CENTS < INT64_MAX


def _whole(what: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{what} must be a whole number, got {value!r}")
    return value


def check_id(kind: str, value: object) -> int:
    """Return ``value`` if it can be the id of a ``kind`` (a positive 64-bit integer).

    Raises:
        InvalidInput: not a whole number, or outside 1 to 2**63-1.
    """
    number = _whole(f"a {kind} id", value)
    if not 1 <= number <= MAX_ID:
        raise InvalidInput(f"a {kind} id must be between 1 and {MAX_ID}, got {number}")
    return number


def check_range(what: str, value: object, low: int, high: int) -> int:
    """Return ``value`` if it is a whole number from ``low`` to ``high``.

    Raises:
        InvalidInput: it is not, named by ``what`` (``"a restock quantity"``).
    """
    number = _whole(what, value)
    if number < low:
        qualifier = "positive" if low == 1 else f"at least {low}"
        raise InvalidInput(f"{what} must be {qualifier}, got {number}")
    if number > high:
        raise InvalidInput(f"{what} must be at most {high:,}, got {number:,}")
    return number


def check_text(what: str, value: str, max_length: int) -> str:
    """Return ``value`` if it is 1 to ``max_length`` characters of printable text.

    Control characters (newlines, tabs, escapes) are refused: they would break every
    one-line display. So are leading and trailing spaces, which MariaDB's PAD SPACE
    collations ignore in comparisons: ``'key '`` would equal ``'key'`` there but not on
    SQLite or PostgreSQL, and the three backends must agree.

    Raises:
        InvalidInput: the value is empty, too long, has a control character or
            surrounding spaces.
    """
    if not value or len(value) > max_length:
        raise InvalidInput(f"{what} must be 1 to {max_length} characters, got {value!r}")
    if any(_is_control(ch) for ch in value):
        raise InvalidInput(f"{what} cannot contain control characters, got {value!r}")
    if value != value.strip():
        raise InvalidInput(f"{what} cannot begin or end with a space, got {value!r}")
    return value


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return code < 0x20 or 0x7F <= code < 0xA0 or ch in "\u2028\u2029"
