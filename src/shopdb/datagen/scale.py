"""The one place that turns a scale factor (SF) into row counts and chunk sizes.

| table     | SF 0.001 | SF 0.01 | SF 1      | SF 100      | rule                          |
|-----------|----------|---------|-----------|-------------|-------------------------------|
| users     | 600      | 6,000   | 600,000   | 60,000,000  | 600,000 x SF                  |
| orders    | 1,000    | 10,000  | 1,000,000 | 100,000,000 | 1,000,000 x SF                |
| products  | 316      | 1,000   | 10,000    | 100,000     | 10,000 x sqrt(SF), at least 200 |

Six users per ten orders, so most buyers buy once and a loyal few order monthly, as in
real shops (generator 2.0; 1.0 had one user per ten orders, so buyers averaged 13 orders).
The category tree is fixed (``catalog_data``). Order items average about 2.15 per order;
payments, status history, shipments and stock movements follow from the orders.
Orders are generated in chunks of at most ``ORDER_CHUNK`` orders (a chunk never spans a
calendar month), so memory stays bounded at any SF.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from shopdb.errors import ConfigError

USERS_PER_SF = 600_000
ORDERS_PER_SF = 1_000_000
PRODUCTS_PER_SF = 10_000
PRODUCT_EXPONENT = 0.5
"""The catalogue grows as SF ** 0.5: a shop ten times bigger sells more, not ten times more."""
MIN_USERS = 20
MIN_ORDERS = 50
MIN_PRODUCTS = 200
ORDER_CHUNK = 50_000
"""Most orders generated (and loaded) at once; a single busier day may exceed it."""
USER_CHUNK = 250_000
"""Most users turned into strings and loaded at once."""
MAX_SCALE = 10_000.0


@dataclass(frozen=True)
class Scale:
    """Row counts for one scale factor."""

    factor: float
    users: int
    orders: int
    products: int


def parse_scale(raw: str | float) -> float:
    """Parse a scale factor as the user typed it.

    Raises:
        ConfigError: it is not a finite number above zero (or is absurdly large).
    """
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"scale factor must be a number above 0, got {raw!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ConfigError(f"scale factor must be a number above 0, got {raw!r}")
    if value > MAX_SCALE:
        raise ConfigError(f"scale factor {raw!r} is above the maximum of {MAX_SCALE:g}")
    return value


def scale_for(factor: float) -> Scale:
    """Row counts for scale factor ``factor`` (see the module table).

    Raises:
        ConfigError: ``factor`` is not above zero.
    """
    factor = parse_scale(factor)
    return Scale(
        factor=factor,
        users=max(MIN_USERS, round(USERS_PER_SF * factor)),
        orders=max(MIN_ORDERS, round(ORDERS_PER_SF * factor)),
        products=max(MIN_PRODUCTS, round(PRODUCTS_PER_SF * factor**PRODUCT_EXPONENT)),
    )


def format_scale(factor: float) -> str:
    """The canonical text of a scale factor, as recorded in ``generation_runs``."""
    return f"{factor:g}"


def expected_rows(scale: Scale) -> int:
    """About how many rows a run loads (for a progress bar): about 11.5 per order."""
    return 76 + 3 * scale.products + scale.users + round(11.5 * scale.orders)
