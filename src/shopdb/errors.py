"""The exceptions shopdb raises; each carries a one-line message fit for a user."""


class ShopError(Exception):
    """Base class: anything the CLI may print as one line and exit non-zero."""


class ConfigError(ShopError):
    """A setting (a database URL, a scale factor, an option) is malformed."""


class ConnectError(ShopError):
    """The database cannot be reached, does not exist, or refuses the credentials."""


class SchemaError(ShopError):
    """The database holds no shopdb schema, or holds one where none was expected."""


class ConstraintViolation(ShopError):
    """The database refused a write; ``constraint`` names the rule it broke."""

    def __init__(self, constraint: str | None, message: str) -> None:
        super().__init__(message)
        self.constraint = constraint


class NotFound(ShopError):
    """A user, product or order that does not exist."""


class InvalidInput(ShopError):
    """A value the caller gave is out of range or malformed."""


class Duplicate(ShopError):
    """A row that must be unique (an email, a SKU, an idempotency key) already exists."""


class OutOfStock(ShopError):
    """A product has fewer units on hand than an order asked for."""

    def __init__(self, product_id: int, requested: int, available: int) -> None:
        super().__init__(
            f"product {product_id} is out of stock: {requested} requested, {available} available"
        )
        self.product_id = product_id
        self.requested = requested
        self.available = available


class InvalidTransition(ShopError):
    """An order cannot move from its current status to the one asked for."""

    def __init__(self, order_id: int, current: str, target: str) -> None:
        super().__init__(f"order {order_id} is {current}: it cannot become {target}")
        self.order_id = order_id
        self.current = current
        self.target = target


class PaymentMismatch(ShopError):
    """A payment's amount differs from what the order owes."""

    def __init__(self, order_id: int, expected_cents: int, given_cents: int) -> None:
        super().__init__(
            f"order {order_id} owes {expected_cents} cents: a payment of {given_cents} is refused"
        )
        self.order_id = order_id
        self.expected_cents = expected_cents
        self.given_cents = given_cents


class RetriesExhausted(ShopError):
    """A transaction kept failing on deadlocks or serialization conflicts; nothing was written."""


class ConnectionLost(ShopError):
    """The connection died while committing, so whether the transaction took effect is unknown."""


class QueryTimeout(ShopError):
    """A query ran longer than its statement timeout and was cancelled; nothing was written."""


class NumberOverflow(ShopError):
    """A sum over the data passed the 64-bit integer range and the database refused the
    query (SQLite's ``sum()``); nothing was written. ``subject`` names what was refused
    (``"query 'total_revenue'"``)."""

    def __init__(self, subject: str, message: str) -> None:
        super().__init__(message)
        self.subject = subject


class StaleVersion(ShopError):
    """A conditional update named a version of a row that is no longer the current one."""
