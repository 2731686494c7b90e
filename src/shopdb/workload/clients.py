"""Client threads running a transaction mix through the services, each on its own connection.

Every thread draws transaction types by weight until the deadline. Outcomes are counted
as committed, refused (a business answer: out of stock, an order no longer payable) or
error (anything else that reached the caller, e.g. retries run out). Retries are counted
through ``observe_retries`` and stay invisible to the thread, as to any caller.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from shopdb.errors import (
    InvalidInput,
    InvalidTransition,
    NotFound,
    OutOfStock,
    PaymentMismatch,
    ShopError,
)
from shopdb.services import (
    cancel_order,
    get_order,
    observe_retries,
    pay_order,
    place_order,
    refund_order,
    restock,
)
from shopdb.workload.catalog import Catalog
from shopdb.workload.stats import PhaseResult

KINDS = ("place", "pay", "cancel", "refund", "restock", "lookup")
DEFAULT_MIX = "place=45,pay=40,cancel=5,restock=5,lookup=5"
DECLINE_RATE = 0.05
"""Share of payment attempts the (simulated) provider declines: stored as failed."""
REFUSALS = (OutOfStock, InvalidTransition, PaymentMismatch, NotFound)

Ack = tuple[int, dict[int, int]]
"""An acknowledged order: its id and the quantities it was placed with."""


def parse_mix(text: str) -> dict[str, int]:
    """Parse ``place=45,pay=40,...`` into weights (types left out weigh 0).

    Raises:
        InvalidInput: an unknown type, a malformed or negative weight, or all weights 0.
    """
    weights = dict.fromkeys(KINDS, 0)
    for part in text.split(","):
        name, sep, value = part.strip().partition("=")
        if not sep or name not in weights or not value.strip().isdigit():
            raise InvalidInput(
                f"malformed mix entry {part.strip()!r}: expected TYPE=WEIGHT with TYPE one of "
                f"{', '.join(KINDS)}"
            )
        weights[name] = int(value)
    if sum(weights.values()) == 0:
        raise InvalidInput("the mix needs at least one positive weight")
    return weights


class _Skip(Exception):
    """Nothing to do for this type yet (no order placed so far): not timed, not counted."""


@dataclass
class SharedOrders:
    """Orders placed in this run, for the pay, cancel and lookup transactions to pick."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    payable: deque[tuple[int, int]] = field(default_factory=deque)
    recent: deque[int] = field(default_factory=lambda: deque(maxlen=10_000))
    paid: deque[int] = field(default_factory=lambda: deque(maxlen=10_000))

    def placed(self, order_id: int, total_cents: int) -> None:
        """Offer a new (or declined) order for payment, cancellation and lookups."""
        with self.lock:
            self.payable.append((order_id, total_cents))
            self.recent.append(order_id)

    def take_payable(self) -> tuple[int, int] | None:
        """The oldest order waiting for payment, with its total, or None."""
        with self.lock:
            return self.payable.popleft() if self.payable else None

    def was_paid(self, order_id: int) -> None:
        """Offer a paid order for a refund."""
        with self.lock:
            self.paid.append(order_id)

    def take_paid(self, rng: random.Random) -> int | None:
        """A random paid order of this run (it leaves the pool), or None."""
        with self.lock:
            if not self.paid:
                return None
            self.paid.rotate(-rng.randrange(len(self.paid)))
            return self.paid.popleft()

    def any_recent(self, rng: random.Random) -> int | None:
        """A random order placed in this run, or None."""
        with self.lock:
            return self.recent[rng.randrange(len(self.recent))] if self.recent else None


@dataclass
class _Client:
    engine: Engine
    catalog: Catalog
    shared: SharedOrders
    rng: random.Random
    acks: list[Ack]

    def place(self) -> None:
        basket = self.catalog.basket(self.rng)
        order_id = place_order(self.engine, self.rng.choice(self.catalog.user_ids), basket)
        self.acks.append((order_id, basket))
        self.shared.placed(order_id, self.catalog.total(basket))

    def pay(self) -> None:
        picked = self.shared.take_payable()
        if picked is None:
            raise _Skip
        order_id, total = picked
        approved = self.rng.random() >= DECLINE_RATE
        key = f"bench-{uuid.uuid4().hex}"
        pay_order(self.engine, order_id, total, "card", key, approved=approved)
        if not approved:
            self.shared.placed(order_id, total)  # the customer tries again later
        else:
            self.shared.was_paid(order_id)

    def cancel(self) -> None:
        order_id = self.shared.any_recent(self.rng)
        if order_id is None:
            raise _Skip
        cancel_order(self.engine, order_id)

    def refund(self) -> None:
        order_id = self.shared.take_paid(self.rng)
        if order_id is None:
            raise _Skip
        refund_order(self.engine, order_id)

    def restock(self) -> None:
        restock(self.engine, self.rng.choice(self.catalog.product_ids), self.rng.randint(20, 100))

    def lookup(self) -> None:
        order_id = self.shared.any_recent(self.rng)
        if order_id is None:
            raise _Skip
        get_order(self.engine, order_id)


def run_clients(
    engine: Engine,
    catalog: Catalog,
    mix: dict[str, int],
    clients: int,
    duration_s: float,
    *,
    name: str = "services",
    seed: int = 0,
) -> tuple[PhaseResult, list[Ack]]:
    """Run ``clients`` threads of the mix for ``duration_s`` seconds; return figures and acks."""
    shared = SharedOrders()
    results = [PhaseResult(name, clients, duration_s) for _ in range(clients)]
    acks: list[list[Ack]] = [[] for _ in range(clients)]
    deadline = time.perf_counter() + duration_s
    threads = [
        threading.Thread(
            target=_loop,
            args=(
                _Client(engine, catalog, shared, random.Random(seed * 997 + i), acks[i]),
                mix,
                deadline,
                results[i],
            ),
        )
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    merged = PhaseResult(name, clients, duration_s)
    for result in results:
        merged.merge(result)
    return merged, [ack for part in acks for ack in part]


def _loop(client: _Client, mix: dict[str, int], deadline: float, result: PhaseResult) -> None:
    kinds = [k for k in KINDS if mix[k] > 0]
    weights = [mix[k] for k in kinds]
    current = ["place"]

    def count_retry(_exc: BaseException) -> None:
        result.stats(current[0]).retries += 1

    with observe_retries(count_retry):
        while time.perf_counter() < deadline:
            current[0] = client.rng.choices(kinds, weights)[0]
            _timed(getattr(client, current[0]), result, current[0])


def _timed(call: Callable[[], None], result: PhaseResult, kind: str) -> None:
    stats = result.stats(kind)
    started = time.perf_counter()
    try:
        call()
        stats.committed += 1
    except _Skip:
        return
    except REFUSALS:
        stats.refused += 1
    except (ShopError, DBAPIError) as exc:
        stats.errors += 1
        stats.first_error = stats.first_error or f"{type(exc).__name__}: {exc}".splitlines()[0]
    stats.latencies_s.append(time.perf_counter() - started)
