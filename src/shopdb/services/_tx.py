"""One transaction per service call, retried when the database asks for a retry.

Deadlocks, lock-wait timeouts and serialization failures are transient: the database
rolled the whole transaction back, so running it again from the start is safe. They
are retried with bounded, jittered exponential backoff; the caller sees them only as
``RetriesExhausted`` when every attempt failed. A connection lost *before* COMMIT was
sent is retried the same way (the server rolls an orphaned transaction back); one lost
*during* COMMIT is not, because the outcome is unknown: it becomes ``ConnectionLost``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.engine import Connection, CursorResult, Engine
from sqlalchemy.exc import DBAPIError

from shopdb.db import lake_log
from shopdb.db.backend import backend_of_error
from shopdb.db.engine import IMMEDIATE
from shopdb.db.violations import translate
from shopdb.db.writers import write_turn
from shopdb.errors import ConnectionLost, Duplicate, RetriesExhausted

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a transaction is retried."""

    attempts: int = 8
    base_delay_s: float = 0.005
    max_delay_s: float = 0.25

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Full-jitter backoff: uniform in [0, min(max, base * 2**attempt)]."""
        return rng.uniform(0.0, min(self.max_delay_s, self.base_delay_s * 2**attempt))


DEFAULT_POLICY = RetryPolicy()
_observer: ContextVar[Callable[[BaseException], None] | None] = ContextVar(
    "shopdb_retry_observer", default=None
)
_rng = random.Random()
_before_commit: ContextVar[Callable[[Connection, Any], None] | None] = ContextVar(
    "shopdb_before_commit", default=None
)


@contextmanager
def observe_retries(callback: Callable[[BaseException], None]) -> Iterator[None]:
    """Call ``callback`` with the error each time a transaction in this context is retried.

    The workload driver counts retries this way; contexts are per thread.
    """
    token = _observer.set(callback)
    try:
        yield
    finally:
        _observer.reset(token)


@contextmanager
def before_commit(hook: Callable[[Connection, Any], None]) -> Iterator[None]:
    """Call ``hook(conn, result)`` in each write transaction of this context, before COMMIT.

    The API records an Idempotency-Key this way, in the transaction of the write it
    names: if the hook raises, the write is rolled back with it. The hook runs again
    when a transaction is retried. Contexts are per thread.
    """
    token = _before_commit.set(hook)
    try:
        yield
    finally:
        _before_commit.reset(token)


def is_transient(exc: DBAPIError) -> bool:
    """Whether the database rolled the transaction back and asks for it to be run again."""
    backend = backend_of_error(exc)
    return backend is not None and backend.is_transient(exc)


def run_in_transaction(
    engine: Engine,
    body: Callable[[Connection], T],
    *,
    write: bool = True,
    policy: RetryPolicy = DEFAULT_POLICY,
    duplicates: Mapping[str, str] | None = None,
) -> T:
    """Run ``body`` in one transaction, committed if it returns, retried if transient.

    ``body`` must only touch the database through the connection it is given, so that
    running it again after a rollback repeats nothing. On SQLite, ``write`` begins with
    ``BEGIN IMMEDIATE`` so writers queue instead of failing at their first write: first
    for their turn among this process's writers (``write_turn``: in order, without the
    busy handler's sleeps), then on the busy timeout for other processes' writers.
    ``duplicates`` maps a UNIQUE constraint's name to the message of the ``Duplicate``
    its violation becomes: the constraint decides, no SELECT beforehand. A write
    transaction appends the lake partitions its body noted (``lake_log.touch``) to the
    lake's change log just before COMMIT, in the same transaction.

    Raises:
        RetriesExhausted: every attempt hit a deadlock or serialization failure;
            nothing was written.
        ConnectionLost: the connection died during COMMIT; the outcome is unknown.
        Duplicate: the write broke a UNIQUE constraint named in ``duplicates``; nothing
            was written.
        ConstraintViolation: the database refused a write; it names the constraint.
        ShopError: whatever ``body`` raised; the transaction was rolled back.
    """
    last: DBAPIError | None = None
    for attempt in range(policy.attempts):
        committing = False
        turn: AbstractContextManager[None] = write_turn(engine) if write else nullcontext()
        try:
            with turn, engine.connect() as conn:
                if write:
                    conn.execution_options(**{IMMEDIATE: True})
                recording = lake_log.recording(conn) if write else nullcontext()
                with recording, conn.begin() as trans:
                    result = body(conn)
                    if write:
                        # the partitions the body touched, in its own transaction
                        lake_log.flush(conn)
                    hook = _before_commit.get() if write else None
                    if hook is not None:
                        hook(conn, result)
                    committing = True
                    trans.commit()
                return result
        except DBAPIError as exc:
            if committing and exc.connection_invalidated:
                raise ConnectionLost(
                    "the connection to the database was lost while committing: "
                    "check whether the change took effect before repeating it"
                ) from exc
            if not (exc.connection_invalidated or is_transient(exc)):
                violation = translate(exc)
                if violation is None:
                    raise
                duplicate = (duplicates or {}).get(violation.constraint or "")
                if duplicate is not None:
                    raise Duplicate(duplicate) from None
                raise violation from exc
            last = exc
            observer = _observer.get()
            if observer is not None:
                observer(exc)
            if attempt + 1 < policy.attempts:
                time.sleep(policy.delay(attempt, _rng))
    first = str(last.orig).strip().splitlines()[0] if last is not None else "unknown"
    raise RetriesExhausted(
        f"gave up after {policy.attempts} attempts (last: {first}); nothing was written"
    ) from last


def inserted_id(result: CursorResult[Any]) -> int:
    """The primary key of the row an ``INSERT`` just wrote."""
    key = result.inserted_primary_key
    if key is None or key[0] is None:
        raise RuntimeError("the INSERT reported no primary key")
    return int(key[0])
