"""The yardstick: the place-order transaction written directly on the DBAPI driver.

Same statements as ``services.orders._place`` (the buyer's address with the prices, order,
items, history, the funnel's delta row, one conditional stock UPDATE per product in id
order, sale movements), same row values, no SQLAlchemy and no retry loop: what the
services' layering costs is measured against it.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Engine

from shopdb.db.backend import Backend, backend_of
from shopdb.rollups.buckets import day_index, month_index
from shopdb.workload.catalog import Catalog
from shopdb.workload.clients import Ack
from shopdb.workload.stats import PhaseResult


def connect(engine: Engine) -> Any:
    """A bare DBAPI connection from ``engine``'s pool, with the session it sets up.

    The connection is the engine's own (same driver arguments, same session settings and
    pragmas), so the yardstick cannot drift from what the services run on; only the
    statements bypass SQLAlchemy. ``close()`` gives it back to the pool.
    """
    return engine.raw_connection()


class RawOutOfStock(Exception):
    """A conditional stock UPDATE matched no row: the transaction is rolled back."""


def place_raw(conn: Any, backend: Backend, user_id: int, basket: dict[int, int]) -> int | None:
    """Place one order on a bare connection; return its id, or None when out of stock."""
    mark = backend.placeholder

    def q(sql: str) -> str:
        return sql.replace("?", mark)

    items = sorted(basket.items())
    now = datetime.now(UTC).replace(tzinfo=None)
    cur = conn.cursor()
    try:
        if backend.begin_write is not None:
            cur.execute(backend.begin_write)
        order_id: int | None = write_order(cur, q, backend, user_id, items, now)
    except RawOutOfStock:
        order_id = None
    except BaseException:
        _end(conn, backend, commit=False)
        raise
    finally:
        cur.close()
    _end(conn, backend, commit=order_id is not None)
    return order_id


def _end(conn: Any, backend: Backend, *, commit: bool) -> None:
    if backend.begin_write is not None:
        # pysqlite in autocommit mode: the transaction is the one BEGIN IMMEDIATE opened
        if conn.in_transaction:
            conn.execute("COMMIT" if commit else "ROLLBACK")
    elif commit:
        conn.commit()
    else:
        conn.rollback()


def write_order(
    cur: Any,
    q: Callable[[str], str],
    backend: Backend,
    user_id: int,
    items: list[tuple[int, int]],
    now: datetime,
) -> int:
    """Write one order's rows through a DBAPI-style cursor; return the order's id.

    ``q`` turns the ``?`` markers of the statements into the driver's.

    Raises:
        RawOutOfStock: a product has fewer units than asked; the caller rolls back.
    """
    marks = ", ".join("?" * len(items))
    cur.execute(
        q(
            "SELECT u.country_code, u.city, p.product_id, p.price_cents FROM users u "
            f"LEFT JOIN products p ON p.product_id IN ({marks}) WHERE u.user_id = ?"
        ),
        [p for p, _ in items] + [user_id],
    )
    rows = cur.fetchall()
    country, city = rows[0][0], rows[0][1]
    prices = {row[2]: row[3] for row in rows}
    total = sum(qty * prices[p] for p, qty in items)
    insert_order = (
        "INSERT INTO orders (user_id, status, created_at, updated_at, total_cents, "
        "ship_country_code, ship_city) VALUES (?, 'pending', ?, ?, ?, ?, ?)"
    )
    params = (user_id, now, now, total, country, city)
    if backend.returning_ids:
        cur.execute(q(insert_order + " RETURNING order_id"), params)
        order_id = int(cur.fetchone()[0])
    else:
        cur.execute(q(insert_order), params)
        order_id = int(cur.lastrowid)
    cur.executemany(
        q(
            "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) "
            "VALUES (?, ?, ?, ?)"
        ),
        [(order_id, p, qty, prices[p]) for p, qty in items],
    )
    cur.execute(
        q(
            "INSERT INTO order_status_history (order_id, from_status, to_status, changed_at) "
            "VALUES (?, NULL, 'pending', ?)"
        ),
        (order_id, now),
    )
    # the funnel's placed-order row, as ``rollups.maintain.order_placed`` appends it
    cur.execute(q(_PLACED_DELTA), (day_index(now), month_index(now), now))
    for product_id, qty in items:
        cur.execute(
            q(
                "UPDATE inventory SET quantity_on_hand = quantity_on_hand - ?, updated_at = ? "
                "WHERE product_id = ? AND quantity_on_hand >= ?"
            ),
            (qty, now, product_id, qty),
        )
        if cur.rowcount != 1:
            cur.execute(
                q("SELECT quantity_on_hand FROM inventory WHERE product_id = ?"), (product_id,)
            )
            raise RawOutOfStock
    cur.executemany(
        q(
            "INSERT INTO inventory_movements (product_id, quantity_delta, reason, order_id, "
            "created_at) VALUES (?, ?, 'sale', ?, ?)"
        ),
        [(p, -qty, order_id, now) for p, qty in items],
    )
    return order_id


_PLACED_DELTA = (
    "INSERT INTO order_event_deltas (day_index, month_index, method, placed_count, "
    "paid_count, shipped_count, delivered_count, cancelled_count, refunded_count, "
    "refunded_cents, attempt_count, completed_count, failed_count, payment_refunded_count, "
    "captured_cents, created_at) VALUES (?, ?, NULL, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ?)"
)


def run_baseline(
    engine: Engine, catalog: Catalog, clients: int, duration_s: float, *, seed: int = 0
) -> tuple[PhaseResult, list[Ack]]:
    """Place orders on bare connections from ``clients`` threads for ``duration_s`` seconds.

    The connections are ``engine``'s (see ``connect``); its pool must hold ``clients``.
    """
    backend = backend_of(engine)
    results = [PhaseResult("baseline", clients, duration_s) for _ in range(clients)]
    acks: list[list[Ack]] = [[] for _ in range(clients)]
    conns = [connect(engine) for _ in range(clients)]
    deadline = time.perf_counter() + duration_s

    def loop(i: int) -> None:
        rng = random.Random(seed * 991 + i)
        stats = results[i].stats("place")
        while time.perf_counter() < deadline:
            basket = catalog.basket(rng)
            started = time.perf_counter()
            try:
                order_id = place_raw(conns[i], backend, rng.choice(catalog.user_ids), basket)
            except Exception as exc:  # counted, like the services' errors
                stats.errors += 1
                stats.first_error = stats.first_error or f"{type(exc).__name__}: {exc}"
            else:
                if order_id is None:
                    stats.refused += 1
                else:
                    stats.committed += 1
                    acks[i].append((order_id, basket))
            stats.latencies_s.append(time.perf_counter() - started)

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for conn in conns:
        conn.close()
    merged = PhaseResult("baseline", clients, duration_s)
    for result in results:
        merged.merge(result)
    return merged, [ack for part in acks for ack in part]
