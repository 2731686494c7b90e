"""Staff accounts for the back office: create, list, disable, authenticate.

Passwords are kept only as argon2id hashes (argon2-cffi's defaults, RFC 9106's
low-memory profile). Emails are normalized like customers' (``users.normalize_email``),
and ``uq_staff_accounts_email`` refuses a second account under a race. A disabled account
stays in the table, so the audit trail of who did what keeps its names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine

from shopdb.db.schema import STAFF_ROLES, staff_accounts
from shopdb.db.types import utcnow
from shopdb.errors import ConstraintViolation, Duplicate, InvalidInput, NotFound
from shopdb.services._tx import inserted_id, run_in_transaction
from shopdb.services.users import normalize_email

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
_HASHER = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the email is unknown, so a miss costs as much as a wrong
    password; made on first use, not at import (hashing takes a noticeable part of a
    second, and every CLI start imports this module)."""
    return _HASHER.hash("shopdb-no-such-account")


@dataclass(frozen=True)
class StaffAccount:
    """A staff account as stored, without its hash."""

    staff_id: int
    email: str
    role: str
    created_at: datetime
    disabled_at: datetime | None

    @property
    def is_active(self) -> bool:
        """Whether the account may log in."""
        return self.disabled_at is None


_COLUMNS = (
    staff_accounts.c.staff_id,
    staff_accounts.c.email,
    staff_accounts.c.role,
    staff_accounts.c.created_at,
    staff_accounts.c.disabled_at,
)


def validate_role(role: str) -> str:
    """Return ``role`` if it is a staff role.

    Raises:
        InvalidInput: it is not one of ``STAFF_ROLES``.
    """
    if role not in STAFF_ROLES:
        raise InvalidInput(f"unknown role {role!r}: use one of {', '.join(STAFF_ROLES)}")
    return role


def create_staff(engine: Engine, email: str, role: str, password: str) -> int:
    """Create a staff account; return its id.

    Raises:
        InvalidInput: a malformed email, an unknown role, or a password shorter than
            ``MIN_PASSWORD_LENGTH`` characters. Duplicate: the email has an account.
            Nothing is written on error.
    """
    address = normalize_email(email)
    validate_role(role)
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            f"a staff password needs {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters"
        )
    hashed = _HASHER.hash(password)

    def body(conn: Connection) -> int:
        result = conn.execute(
            insert(staff_accounts).values(
                email=address, role=role, password_hash=hashed, created_at=utcnow()
            )
        )
        return inserted_id(result)

    try:
        return run_in_transaction(engine, body)
    except ConstraintViolation as exc:
        if exc.constraint == "uq_staff_accounts_email":
            raise Duplicate(f"a staff account for {address} already exists") from None
        raise


def list_staff(engine: Engine) -> list[StaffAccount]:
    """Every staff account, by email."""

    def body(conn: Connection) -> list[StaffAccount]:
        rows = conn.execute(select(*_COLUMNS).order_by(staff_accounts.c.email))
        return [StaffAccount(*row) for row in rows]

    return run_in_transaction(engine, body, write=False)


def get_staff(engine: Engine, staff_id: int) -> StaffAccount:
    """One staff account by id.

    Raises:
        NotFound: no such account.
    """

    def body(conn: Connection) -> StaffAccount:
        row = conn.execute(select(*_COLUMNS).where(staff_accounts.c.staff_id == staff_id)).first()
        if row is None:
            raise NotFound(f"staff account {staff_id} does not exist")
        return StaffAccount(*row)

    return run_in_transaction(engine, body, write=False)


def disable_staff(engine: Engine, email: str, *, now: datetime | None = None) -> StaffAccount:
    """Disable the account of ``email`` (already disabled: unchanged); return it.

    Raises:
        NotFound: no account has that email; nothing is written.
    """
    address = email.strip().lower()

    def body(conn: Connection) -> StaffAccount:
        conn.execute(
            update(staff_accounts)
            .where(staff_accounts.c.email == address, staff_accounts.c.disabled_at.is_(None))
            .values(disabled_at=now or utcnow())
        )
        row = conn.execute(select(*_COLUMNS).where(staff_accounts.c.email == address)).first()
        if row is None:
            raise NotFound(f"no staff account for {address}")
        return StaffAccount(*row)

    return run_in_transaction(engine, body)


def authenticate(engine: Engine, email: str, password: str) -> StaffAccount | None:
    """The active account whose email and password match, else None.

    An unknown email, a disabled account and a wrong password all answer None after
    the same hashing work, so the answer's timing does not tell which it was.
    """
    address = email.strip().lower()

    def body(conn: Connection) -> tuple[StaffAccount, str] | None:
        row = conn.execute(
            select(*_COLUMNS, staff_accounts.c.password_hash).where(
                staff_accounts.c.email == address
            )
        ).first()
        return None if row is None else (StaffAccount(*row[:5]), str(row[5]))

    found = run_in_transaction(engine, body, write=False)
    try:
        _HASHER.verify(found[1] if found else _dummy_hash(), password[:MAX_PASSWORD_LENGTH])
    except (VerificationError, InvalidHashError):
        return None
    if found is None or not found[0].is_active:
        return None
    return found[0]
