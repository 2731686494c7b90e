"""Users: register one with a validated, normalized email; update one.

Emails are stored stripped and lower-cased, so ``Ann@Example.COM`` and ``ann@example.com``
are the same account; ``uq_users_email`` refuses a second one even under a race.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine

from shopdb.db.lake_log import touch
from shopdb.db.schema import users
from shopdb.db.types import max_length, utcnow
from shopdb.errors import InvalidInput, NotFound
from shopdb.limits import check_id, check_text
from shopdb.services._tx import inserted_id, run_in_transaction

MAX_EMAIL_LENGTH = max_length(users.c.email)
MAX_NAME_LENGTH = max_length(users.c.first_name)
_LOCAL = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_EMAIL = re.compile(rf"{_LOCAL}@(?:{_LABEL}\.)+[a-z]{{2,63}}")


def normalize_email(email: str) -> str:
    """Return ``email`` stripped and lower-cased.

    Raises:
        InvalidInput: it is not a plausible address (``local@domain.tld``).
    """
    normalized = email.strip().lower()
    if len(normalized) > MAX_EMAIL_LENGTH or not _EMAIL.fullmatch(normalized):
        raise InvalidInput(f"invalid email address {email!r}")
    return normalized


def _name(value: str, what: str) -> str:
    cleaned = value.strip()
    if not cleaned or len(cleaned) > MAX_NAME_LENGTH:
        raise InvalidInput(f"{what} must be 1 to {MAX_NAME_LENGTH} characters, got {value!r}")
    return check_text(what, cleaned, MAX_NAME_LENGTH)


def _city(value: str | None) -> str | None:
    cleaned = value.strip() if value else ""
    return check_text("a city", cleaned, max_length(users.c.city)) if cleaned else None


def _country(code: str | None) -> str | None:
    if code is None:
        return None
    if not re.fullmatch(r"[A-Za-z]{2}", code.strip()):
        raise InvalidInput(f"country code must be two letters, got {code!r}")
    return code.strip().upper()


def register_user(
    engine: Engine,
    email: str,
    first_name: str,
    last_name: str,
    *,
    country_code: str | None = None,
    city: str | None = None,
    now: datetime | None = None,
) -> int:
    """Create a user; return the new ``user_id``.

    Raises:
        InvalidInput: a malformed email, name or country code; nothing is written.
        Duplicate: a user with this email (after normalization) exists; nothing is written.
    """
    normalized = normalize_email(email)
    values = {
        "email": normalized,
        "first_name": _name(first_name, "first name"),
        "last_name": _name(last_name, "last name"),
        "country_code": _country(country_code),
        "city": _city(city),
        "created_at": now or utcnow(),
    }

    def body(conn: Connection) -> int:
        touch(conn, None, users)
        return inserted_id(conn.execute(insert(users).values(**values)))

    return run_in_transaction(engine, body, duplicates=_taken(normalized))


def update_user(
    engine: Engine,
    user_id: int,
    *,
    email: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    country_code: str | None = None,
    city: str | None = None,
) -> None:
    """Change the given fields of a user; fields left as None keep their value.

    Raises:
        NotFound: no such user. InvalidInput: a malformed value.
        Duplicate: the new email belongs to another user. Nothing is written on error.
    """
    values: dict[str, str | None] = {}
    if email is not None:
        values["email"] = normalize_email(email)
    if first_name is not None:
        values["first_name"] = _name(first_name, "first name")
    if last_name is not None:
        values["last_name"] = _name(last_name, "last name")
    if country_code is not None:
        values["country_code"] = _country(country_code)
    if city is not None:
        values["city"] = _city(city)
    check_id("user", user_id)

    def body(conn: Connection) -> None:
        stmt = update(users).where(users.c.user_id == user_id)
        result = conn.execute(stmt.values(**values) if values else stmt.values(user_id=user_id))
        if result.rowcount == 0 and not _exists(conn, user_id):
            raise NotFound(f"user {user_id} does not exist")
        touch(conn, None, users)

    run_in_transaction(engine, body, duplicates=_taken(values.get("email")))


def _exists(conn: Connection, user_id: int) -> bool:
    return (
        conn.execute(select(users.c.user_id).where(users.c.user_id == user_id)).first() is not None
    )


def _taken(email: str | None) -> dict[str, str]:
    """What ``uq_users_email`` refusing ``email`` means."""
    return {"uq_users_email": f"a user with email {email} already exists"}
