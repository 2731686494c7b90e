"""API keys: create one (shown once), list them, revoke one, and find the key a request sent.

A key is ``shopdb_`` followed by 43 URL-safe characters (32 random bytes, 256 bits).
Only its SHA-256 is stored: a key that random cannot be guessed from its hash, so a slow
password hash would add nothing but latency to every request. ``key_prefix`` keeps the
first characters so a person can tell keys apart in ``shopdb api-key list``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine

from shopdb.access import ROLES
from shopdb.db.schema import api_keys
from shopdb.db.types import utcnow
from shopdb.errors import InvalidInput, NotFound
from shopdb.services._tx import inserted_id, run_in_transaction

KEY_PREFIX = "shopdb_"
_SHOWN = 12  # characters of a key kept in key_prefix: "shopdb_" and five more
MAX_LABEL_LENGTH = 100


@dataclass(frozen=True)
class ApiKey:
    """A stored API key, without its secret."""

    api_key_id: int
    role: str
    label: str | None
    key_prefix: str
    created_at: datetime
    revoked_at: datetime | None

    @property
    def is_active(self) -> bool:
        """Whether the key is still accepted."""
        return self.revoked_at is None


def hash_key(key: str) -> str:
    """The hex SHA-256 of a key: what ``api_keys.key_hash`` stores."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_api_key(
    engine: Engine, role: str, label: str | None = None, *, now: datetime | None = None
) -> tuple[ApiKey, str]:
    """Create a key for ``role``; return the stored key and its secret, which is never stored.

    Raises:
        InvalidInput: an unknown role, or a label longer than 100 characters or holding
            a NUL. Nothing is written.
    """
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    cleaned = label.strip() if label else None
    if cleaned and (len(cleaned) > MAX_LABEL_LENGTH or "\x00" in cleaned):
        raise InvalidInput(f"a label is at most {MAX_LABEL_LENGTH} characters, without NUL")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    at = now or utcnow()

    def body(conn: Connection) -> ApiKey:
        result = conn.execute(
            insert(api_keys).values(
                role=role,
                label=cleaned or None,
                key_prefix=secret[:_SHOWN],
                key_hash=hash_key(secret),
                created_at=at,
            )
        )
        return ApiKey(inserted_id(result), role, cleaned or None, secret[:_SHOWN], at, None)

    return run_in_transaction(engine, body), secret


_COLUMNS = (
    api_keys.c.api_key_id,
    api_keys.c.role,
    api_keys.c.label,
    api_keys.c.key_prefix,
    api_keys.c.created_at,
    api_keys.c.revoked_at,
)


def list_api_keys(engine: Engine) -> list[ApiKey]:
    """Every key, revoked ones included, oldest first."""
    rows = run_in_transaction(
        engine,
        lambda conn: conn.execute(select(*_COLUMNS).order_by(api_keys.c.api_key_id)).all(),
        write=False,
    )
    return [ApiKey(*row) for row in rows]


def revoke_api_key(engine: Engine, api_key_id: int, *, now: datetime | None = None) -> ApiKey:
    """Revoke a key from now on; revoking a revoked key changes nothing. Return the key.

    Raises:
        NotFound: no such key; nothing is written.
    """
    at = now or utcnow()

    def body(conn: Connection) -> ApiKey:
        conn.execute(
            update(api_keys)
            .where(api_keys.c.api_key_id == api_key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        row = conn.execute(select(*_COLUMNS).where(api_keys.c.api_key_id == api_key_id)).first()
        if row is None:
            raise NotFound(f"API key {api_key_id} does not exist")
        return ApiKey(*row)

    return run_in_transaction(engine, body)


def authenticate(engine: Engine, key: str) -> ApiKey | None:
    """The active key whose secret is ``key``, or None for an unknown or revoked one.

    Read-only. The lookup is by hash; the hashes are compared once more in constant time.
    """
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    digest = hash_key(key)
    row = run_in_transaction(
        engine,
        lambda conn: conn.execute(
            select(*_COLUMNS, api_keys.c.key_hash).where(api_keys.c.key_hash == digest)
        ).first(),
        write=False,
    )
    if row is None or not hmac.compare_digest(row.key_hash, digest) or row.revoked_at is not None:
        return None
    return ApiKey(*row[:6])
