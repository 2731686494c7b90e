"""Who is asking: the signed session cookie, CSRF tokens, roles, and login throttling.

The session is a cookie signed with itsdangerous (HttpOnly, SameSite=Lax, Secure when
served over HTTPS) holding the staff id and the session's CSRF token; nothing secret is
in it and nothing is stored server-side. Every request re-reads the account, so
disabling it (``shopdb staff disable``) ends its sessions at once.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from shopdb.access import SCOPES, has_scope, mask_email
from shopdb.errors import NotFound, ShopError
from shopdb.services.staff import StaffAccount, get_staff

COOKIE = "shopdb_session"
SESSION_MAX_AGE = 12 * 3600


class Forbidden(ShopError):
    """The signed-in account's role may not do this."""


class CsrfFailure(ShopError):
    """A form arrived without the token of the session that rendered it."""


class LoginRequired(ShopError):
    """No valid session: the page redirects to the login form."""


class TooManyAttempts(ShopError):
    """Too many failed logins for an address or a client; try again later."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins: try again in {retry_after} seconds")
        self.retry_after = retry_after


@dataclass
class Session:
    """What the cookie holds: the account (None before login) and its CSRF token."""

    staff_id: int | None
    csrf: str


class Sessions:
    """Signs and reads session cookies with one secret."""

    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="shopdb-session")

    def dump(self, session: Session) -> str:
        """The cookie value for ``session``."""
        return self._serializer.dumps({"s": session.staff_id, "c": session.csrf})

    def load(self, value: str | None) -> Session | None:
        """The session in a cookie value, or None if absent, forged or expired."""
        if not value:
            return None
        try:
            data: Any = self._serializer.loads(value, max_age=SESSION_MAX_AGE)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        staff_id = data.get("s")
        return Session(staff_id if isinstance(staff_id, int) else None, data["c"])


def new_session(staff_id: int | None = None) -> Session:
    """A session with a fresh CSRF token."""
    return Session(staff_id, secrets.token_urlsafe(24))


def request_session(request: Request) -> Session | None:
    """The request's session, read once and kept on ``request.state``."""
    if not hasattr(request.state, "session"):
        sessions: Sessions = request.app.state.web_sessions
        request.state.session = sessions.load(request.cookies.get(COOKIE))
    found: Session | None = request.state.session
    return found


def current_staff(request: Request, scope: str | None = None) -> StaffAccount:
    """The signed-in, active account, which must hold ``scope`` when one is named.

    Roles mean what they mean in the API: ``shopdb.access.ROLE_SCOPES`` decides.

    Raises:
        LoginRequired: no session, or its account is gone or disabled.
        Forbidden: the account's role lacks ``scope``.
    """
    session = request_session(request)
    if session is None or session.staff_id is None:
        raise LoginRequired("please log in")
    try:
        account = get_staff(request.app.state.engine, session.staff_id)
    except NotFound:
        raise LoginRequired("please log in") from None
    if not account.is_active:
        raise LoginRequired("this account is disabled")
    if scope is not None:
        require_scope(account, scope)
    return account


def may(account: StaffAccount | None, scope: str) -> bool:
    """Whether the account's role holds ``scope`` (``shopdb.access``)."""
    return account is not None and has_scope(account.role, scope)


def require_scope(account: StaffAccount, scope: str) -> None:
    """Raise ``Forbidden`` unless the account's role holds ``scope``."""
    if not has_scope(account.role, scope):
        raise Forbidden(f"a {account.role} account cannot {SCOPES[scope]}")


def shown_email(account: StaffAccount | None, email: str) -> str:
    """``email`` as this account may see it: masked without ``customers:email``."""
    return email if may(account, "customers:email") else mask_email(email)


def check_csrf(request: Request, token: str | None) -> None:
    """Raise ``CsrfFailure`` unless ``token`` (form field or header) is the session's."""
    session = request_session(request)
    given = token or request.headers.get("x-csrf-token") or ""
    if session is None or not hmac.compare_digest(session.csrf.encode(), given.encode()):
        raise CsrfFailure("the form expired or did not come from this site: reload and retry")


@dataclass
class LoginThrottle:
    """Counts failed logins per address and per client and refuses while over the limit.

    After ``free`` failures within ``window`` seconds, each further attempt must wait
    ``base_delay * 2 ** (extra failures)`` seconds (at most ``max_delay``) after the last
    failure. Kept in memory: one server process, and a restart forgives.
    """

    free: int = 5
    window: float = 900.0
    base_delay: float = 2.0
    max_delay: float = 300.0
    _failures: dict[str, tuple[int, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, *keys: str) -> None:
        """Raise ``TooManyAttempts`` if any key must still wait."""
        now = time.monotonic()
        with self._lock:
            for key in keys:
                count, last = self._failures.get(key, (0, 0.0))
                if now - last > self.window:
                    continue
                if count >= self.free:
                    wait = min(self.max_delay, self.base_delay * 2 ** (count - self.free))
                    if now - last < wait:
                        raise TooManyAttempts(int(wait - (now - last)) + 1)

    def failed(self, *keys: str) -> None:
        """Record a failed attempt for each key."""
        now = time.monotonic()
        with self._lock:
            for key in keys:
                count, last = self._failures.get(key, (0, 0.0))
                self._failures[key] = (1 if now - last > self.window else count + 1, now)

    def succeeded(self, *keys: str) -> None:
        """Forget the failures of each key."""
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
