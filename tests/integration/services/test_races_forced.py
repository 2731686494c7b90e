"""Races with the interleaving forced, so each test fails if its guard is missing.

Client A is stopped just before its COMMIT, holding whatever it locked; client B then
runs the rival call. On MariaDB and PostgreSQL the test waits until the server reports
B waiting for a lock, read afresh on each poll (``_waiting``); without the row lock or
unique index the service relies on, B would not wait, and the test fails saying so. Then
it lets A commit and checks that B saw A's committed work. On SQLite, writers queue at
``BEGIN IMMEDIATE``; the test of that is named for it (``test_sqlite_begin_immediate_...``).
test_races.py keeps the many-client runs that are not forced.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from services_support import Shop, assert_audit_clean, count_rows, stock_of
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import Connection, Engine

from shopdb.db.rollup_schema import category_sales_yearly, rollup_deltas
from shopdb.db.schema import inventory_movements, orders, payments, shipments, users
from shopdb.errors import Duplicate, InvalidTransition, OutOfStock
from shopdb.rollups.build import refresh
from shopdb.services import (
    cancel_order,
    create_category,
    pay_order,
    place_order,
    register_user,
    ship_order,
)
from shopdb.services.records import get_product, product_version, update_product

WAIT_S = 30
POLL_S = 0.02
_PG_LOCK_WAITS = (
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
)
# MariaDB's information_schema.innodb_trx is a copy InnoDB refreshes only when nobody
# has read it for 100 ms: polled every 20 ms (or by any other client of the server as
# often), it kept showing the moment before B began to wait, for the whole 30 s. SHOW
# ENGINE INNODB STATUS is built afresh on each call; processlist is live too.
_MARIADB_THREADS = "SELECT id FROM information_schema.processlist WHERE db = database()"
_MARIADB_WAITER = re.compile(r"^LOCK WAIT .*?^(?:MariaDB|MySQL) thread id (\d+),", re.M | re.S)


class Client(threading.Thread):
    """One call in its own thread; ``result`` is what it returned or raised."""

    def __init__(self, name: str, call: Callable[[], Any]) -> None:
        super().__init__(name=name, daemon=True)
        self.call = call
        self.result: Any = None

    def run(self) -> None:
        try:
            self.result = self.call()
        except Exception as exc:
            self.result = exc


class HeldBeforeCommit:
    """Stops the first COMMIT of the thread named ``holder`` on ``engine`` until released."""

    def __init__(self, engine: Engine, holder: str) -> None:
        self.holder = holder
        self.reached = threading.Event()
        self.released = threading.Event()
        event.listen(engine, "commit", self._hold)

    def _hold(self, conn: Connection) -> None:
        if threading.current_thread().name == self.holder and not self.reached.is_set():
            self.reached.set()
            self.released.wait(WAIT_S)


def _waiting(conn: Connection, backend: str) -> bool:
    """Whether a connection to this test's database waits for a row lock right now."""
    if backend == "postgresql":
        return bool(conn.execute(text(_PG_LOCK_WAITS)).scalar_one() > 0)
    ours = {int(row[0]) for row in conn.execute(text(_MARIADB_THREADS))}
    status = str(conn.execute(text("SHOW ENGINE INNODB STATUS")).one()[2])
    transactions = status.split("---TRANSACTION")[1:]
    waiters = {int(m.group(1)) for t in transactions if (m := _MARIADB_WAITER.search(t))}
    return bool(ours & waiters)


def _wait_for_lock_wait(engine: Engine, backend: str) -> None:
    deadline = time.monotonic() + WAIT_S
    with engine.connect() as conn:
        while time.monotonic() < deadline:
            if _waiting(conn, backend):
                return
            conn.rollback()
            time.sleep(POLL_S)
    pytest.fail("client B never waited for client A's lock: nothing serializes them")


def _race(shop: Shop, backend: str, first: Callable[[], Any], second: Callable[[], Any]):
    """Run ``first`` up to its COMMIT, then ``second`` until it waits, then both to the end."""
    held = HeldBeforeCommit(shop.engine, "A")
    a, b = Client("A", first), Client("B", second)
    a.start()
    assert held.reached.wait(WAIT_S), f"client A never reached its COMMIT: {a.result!r}"
    b.start()
    try:
        _wait_for_lock_wait(shop.engine, backend)
    finally:
        held.released.set()
        a.join(WAIT_S)
        b.join(WAIT_S)
    assert not a.is_alive() and not b.is_alive()
    return a.result, b.result


@pytest.fixture
def server(backend: str) -> str:
    """The backend, skipping SQLite (its writers never interleave: see the BEGIN IMMEDIATE test)."""
    if backend == "sqlite":
        pytest.skip("SQLite writers queue at BEGIN IMMEDIATE: test_sqlite_begin_immediate_*")
    return backend


def test_a_buyer_of_units_held_by_an_open_order_waits_then_is_refused(
    shop: Shop, server: str
) -> None:
    sold, refused = _race(
        shop,
        server,
        lambda: place_order(shop.engine, shop.user, {shop.lamp: 5}),
        lambda: place_order(shop.engine, shop.other_user, {shop.lamp: 1}),
    )

    assert isinstance(sold, int), sold
    assert isinstance(refused, OutOfStock), refused
    assert stock_of(shop.engine, shop.lamp) == 0
    assert count_rows(shop.engine, orders) == 1
    assert_audit_clean(shop.engine)


def test_a_payment_with_the_key_of_an_open_payment_waits_and_returns_it(
    shop: Shop, server: str
) -> None:
    order_id = place_order(shop.engine, shop.user, {shop.lamp: 1})

    first, again = _race(
        shop,
        server,
        lambda: pay_order(shop.engine, order_id, 1000, "card", "key-1"),
        lambda: pay_order(shop.engine, order_id, 1000, "card", "key-1"),
    )

    assert not isinstance(first, Exception), first
    assert not isinstance(again, Exception), again
    assert again.payment_id == first.payment_id
    assert count_rows(shop.engine, payments) == 1
    assert_audit_clean(shop.engine)


def test_a_rival_payment_waits_then_finds_the_order_paid(shop: Shop, server: str) -> None:
    order_id = place_order(shop.engine, shop.user, {shop.lamp: 1})

    first, rival = _race(
        shop,
        server,
        lambda: pay_order(shop.engine, order_id, 1000, "card", "key-a"),
        lambda: pay_order(shop.engine, order_id, 1000, "card", "key-b"),
    )

    assert not isinstance(first, Exception), first
    assert isinstance(rival, InvalidTransition), rival
    assert count_rows(shop.engine, payments) == 1
    assert_audit_clean(shop.engine)


@pytest.mark.parametrize("winner", ["cancel", "ship"])
def test_cancel_and_ship_of_one_order_the_second_waits_and_is_refused(
    shop: Shop, server: str, winner: str
) -> None:
    order_id = place_order(shop.engine, shop.user, {shop.lamp: 1})
    pay_order(shop.engine, order_id, 1000, "card")
    calls = {
        "cancel": lambda: cancel_order(shop.engine, order_id),
        "ship": lambda: ship_order(shop.engine, order_id),
    }
    loser = "ship" if winner == "cancel" else "cancel"

    won, lost = _race(shop, server, calls[winner], calls[loser])

    assert not isinstance(won, Exception), won
    assert isinstance(lost, InvalidTransition), lost
    with shop.engine.connect() as conn:
        status = conn.execute(
            select(orders.c.status).where(orders.c.order_id == order_id)
        ).scalar_one()
    returned = count_rows(
        shop.engine, inventory_movements, inventory_movements.c.reason == "return"
    )
    has_shipment = count_rows(shop.engine, shipments) == 1
    expected = ("cancelled", False, 1) if winner == "cancel" else ("shipped", True, 0)
    assert (status, has_shipment, returned) == expected
    assert_audit_clean(shop.engine)


def _lamp_sold_folded_and_not(shop: Shop) -> int:
    """A lamp order folded into the rollups, a second one still in the change log, and a
    new category to move the lamp to (returned)."""
    e = shop.engine
    pay_order(e, place_order(e, shop.user, {shop.lamp: 1}), 1000, "card")
    refresh(e)
    pay_order(e, place_order(e, shop.other_user, {shop.lamp: 2}), 2000, "card")
    return create_category(e, "Garden")


def _category_revenue(engine: Engine) -> dict[int, int]:
    """Folded revenue per category (every year), with nothing left to fold."""
    c = category_sales_yearly.c
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(rollup_deltas)).scalar_one() == 0
        rows = conn.execute(
            select(c.category_id, func.sum(c.revenue_cents)).group_by(c.category_id)
        )
        return {int(k): int(v) for k, v in rows if v}


@pytest.mark.parametrize("first", ["move", "fold"])
def test_a_fold_and_a_move_of_its_product_to_another_category_serialize(
    shop: Shop, server: str, first: str
) -> None:
    """Whichever of the two commits first, the other waits for it on the product's row
    and sees its work: the fold adds the lamp's unfolded sale to the category the lamp
    is in when the fold commits, and the move takes every folded day along."""
    garden = _lamp_sold_folded_and_not(shop)
    version = product_version(get_product(shop.engine, shop.lamp))
    calls = {
        "move": lambda: update_product(shop.engine, shop.lamp, version, {"category_id": garden}),
        "fold": lambda: refresh(shop.engine),
    }
    second = "fold" if first == "move" else "move"

    one, two = _race(shop, server, calls[first], calls[second])

    assert not isinstance(one, Exception), one
    assert not isinstance(two, Exception), two
    assert _category_revenue(shop.engine) == {garden: 3000}
    assert_audit_clean(shop.engine)


def test_a_registration_of_an_email_being_registered_waits_then_is_a_duplicate(
    shop: Shop, server: str
) -> None:
    first, second = _race(
        shop,
        server,
        lambda: register_user(shop.engine, "dee@example.com", "Dee", "X"),
        lambda: register_user(shop.engine, " Dee@Example.com ", "Dee", "Y"),
    )

    assert isinstance(first, int), first
    assert isinstance(second, Duplicate), second
    assert count_rows(shop.engine, users, users.c.email == "dee@example.com") == 1


def test_sqlite_begin_immediate_queues_a_second_buyer_behind_the_holder(
    shop: Shop, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("a SQLite test: the servers' row locks are forced in the tests above")
    held = HeldBeforeCommit(shop.engine, "A")
    a = Client("A", lambda: place_order(shop.engine, shop.user, {shop.lamp: 5}))
    b = Client("B", lambda: place_order(shop.engine, shop.other_user, {shop.lamp: 1}))
    a.start()
    assert held.reached.wait(WAIT_S)
    b.start()
    try:
        time.sleep(0.3)
        # B waits for its turn among this process's writers (db/writers), then would wait
        # in BEGIN IMMEDIATE for A's write lock: either way it has not read the stock yet
        assert b.is_alive() and b.result is None
    finally:
        held.released.set()
        a.join(WAIT_S)
        b.join(WAIT_S)

    assert isinstance(a.result, int), a.result
    assert isinstance(b.result, OutOfStock), b.result
    assert stock_of(shop.engine, shop.lamp) == 0
