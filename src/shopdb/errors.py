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
