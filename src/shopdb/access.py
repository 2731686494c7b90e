"""Who may do what: the roles, the scopes, and which role holds which scope.

One table for every front end: each API route declares the one scope it needs, and the
dashboard's staff accounts take the same roles. A role holds exactly the scopes listed
here; there is no other grant.

- **admin**: everything, including API keys, staff accounts, deletes and the audit.
- **clerk**: the shop's daily work: catalogue, stock, customers, orders and their actions.
- **analyst**: read-only: the catalogue, orders, the event feed, analytics and exports;
  customers' emails are masked (the analyst lacks ``customers:email``).
"""

from __future__ import annotations

from types import MappingProxyType

ROLES = ("admin", "clerk", "analyst")

SCOPES: MappingProxyType[str, str] = MappingProxyType(
    {
        "catalog:read": "read categories, products, stock and the stock ledger",
        "catalog:write": "create and change categories and products, restock",
        "customers:read": "read customers",
        "customers:email": "see customers' email addresses unmasked",
        "customers:write": "register and change customers",
        "orders:read": "read orders, payments and shipments",
        "orders:write": "place orders and move them: pay, cancel, ship, deliver, refund",
        "events:read": "follow the event feed",
        "analytics:read": "run the analytics queries",
        "shop:delete": "delete customers, categories and products",
        "audit:read": "run the integrity audit",
        "keys:admin": "create, list and revoke API keys",
        "staff:admin": "create, list and disable the dashboard's staff accounts",
    }
)
"""Every scope, with what it allows."""

_READ = ("catalog:read", "customers:read", "orders:read", "events:read")

ROLE_SCOPES: MappingProxyType[str, frozenset[str]] = MappingProxyType(
    {
        "admin": frozenset(SCOPES),
        "clerk": frozenset(
            (*_READ, "customers:email", "catalog:write", "customers:write", "orders:write")
        ),
        "analyst": frozenset((*_READ, "analytics:read")),
    }
)
"""The scopes each role holds: the one table routes and staff accounts are checked against."""


def has_scope(role: str, scope: str) -> bool:
    """Whether ``role`` holds ``scope``; an unknown role holds nothing.

    Raises:
        KeyError: ``scope`` is not one of ``SCOPES`` (a typo in a route, caught at once).
    """
    if scope not in SCOPES:
        raise KeyError(f"unknown scope {scope!r}")
    return scope in ROLE_SCOPES.get(role, frozenset())


def mask_email(email: str) -> str:
    """``ann.lee@example.com`` -> ``a***@example.com``: the domain stays, the person goes.

    What a role without ``customers:email`` sees wherever an email is shown.
    """
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def roles_with(scope: str) -> tuple[str, ...]:
    """The roles that hold ``scope``, in ``ROLES`` order."""
    return tuple(role for role in ROLES if has_scope(role, scope))
