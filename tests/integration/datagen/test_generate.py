"""``generate`` loads the same shop everywhere, records the run, and cleans up failures."""

from __future__ import annotations

import pytest
from conftest_datagen import canonical_digest, count, data_counts, runs, tiny_params
from sqlalchemy import event, insert, select

from shopdb.checksum import table_checksums
from shopdb.config import parse_database_url
from shopdb.datagen.generate import generate
from shopdb.datagen.load import BulkSession
from shopdb.db.admin import init_schema
from shopdb.db.engine import make_engine
from shopdb.db.schema import categories, order_status_history, orders, payments, users
from shopdb.db.types import utcnow


@pytest.fixture(scope="session")
def sqlite_reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict]:
    """Digests and ``shopdb checksum`` of the tiny shop generated into SQLite by one process."""
    path = tmp_path_factory.mktemp("reference") / "reference.sqlite3"
    engine = make_engine(parse_database_url(f"sqlite:///{path}"))
    try:
        init_schema(engine)
        generate(engine, tiny_params(), jobs=1)
        return canonical_digest(engine), table_checksums(engine)
    finally:
        engine.dispose()


def test_every_backend_and_job_count_loads_identical_rows(engine, sqlite_reference):
    # SQLite with one process is the reference; each backend is loaded with two
    generate(engine, tiny_params(), jobs=2)
    digest = canonical_digest(engine)
    assert set(digest) == {
        "users",
        "categories",
        "products",
        "inventory",
        "orders",
        "order_items",
        "payments",
        "order_status_history",
        "shipments",
        "inventory_movements",
    }
    digests, checksums = sqlite_reference
    assert digest == digests
    assert table_checksums(engine) == checksums


def test_rows_added_after_a_load_get_new_ids(shop):
    # the services insert without ids: sequences and auto-increments must be past the load
    with shop.begin() as conn:
        last_user = conn.execute(select(users.c.user_id).order_by(users.c.user_id.desc())).first()
        user_id = conn.execute(
            insert(users).values(
                email="new.customer@example.com",
                first_name="New",
                last_name="Customer",
                created_at=utcnow(),
            )
        ).inserted_primary_key[0]
        order_id = conn.execute(
            insert(orders).values(user_id=user_id, total_cents=0, created_at=utcnow())
        ).inserted_primary_key[0]
        conn.execute(
            insert(order_status_history).values(
                order_id=order_id, to_status="pending", changed_at=utcnow()
            )
        )
        conn.execute(
            insert(payments).values(
                order_id=order_id,
                amount_cents=1,
                method="card",
                status="failed",
                created_at=utcnow(),
            )
        )
        conn.execute(insert(categories).values(name="Brand new category"))
    assert user_id == last_user[0] + 1
    assert order_id == count(shop, "orders")


def test_a_failure_part_way_deletes_the_data_and_marks_the_run_failed(engine):
    def fail_after_orders(table, rows):
        if table == "orders":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        generate(engine, tiny_params(), progress=fail_after_orders)

    assert set(data_counts(engine).values()) == {0}
    assert [status for status, _, _ in runs(engine)] == ["failed"]
    # and the database is usable again: indexes rebuilt, a new run succeeds
    generate(engine, tiny_params())
    assert count(engine, "orders") == 1_000


def test_an_interrupt_just_after_the_drivers_begin_still_cleans_up(engine, monkeypatch):
    # on SQLite the driver has begun the write's transaction when the interrupt lands
    # and SQLAlchemy has not noted it: a rollback on that connection is skipped and the
    # next BEGIN is refused ("cannot start a transaction within a transaction"), which
    # left a SIGTERMed run's rows behind; the clean-up must give that connection up
    write = BulkSession.write
    armed: dict[str, object] = {}

    def writing(self, frames):
        if any(frame.table == "orders" for frame in frames):
            armed.setdefault("conn", self.conn)  # the first write of orders, once
        write(self, frames)

    def interrupt(conn):
        if armed.get("conn") is conn:
            armed["conn"] = None
            raise KeyboardInterrupt

    monkeypatch.setattr(BulkSession, "write", writing)
    event.listen(engine, "begin", interrupt)
    try:
        with pytest.raises(KeyboardInterrupt):
            generate(engine, tiny_params())
    finally:
        event.remove(engine, "begin", interrupt)
        monkeypatch.undo()

    assert set(data_counts(engine).values()) == {0}
    assert [status for status, _, _ in runs(engine)] == ["failed"]
    generate(engine, tiny_params())  # indexes rebuilt: a new run succeeds
    assert count(engine, "orders") == 1_000


def test_an_interrupt_that_invalidates_the_loading_connection_still_cleans_up(engine, monkeypatch):
    # an interrupt inside a driver call leaves SQLAlchemy's connection invalidated, its
    # transaction pending rollback: the clean-up must not depend on that connection
    write = BulkSession.write

    def interrupted(self, frames):
        write(self, frames)
        if any(frame.table == "orders" for frame in frames):
            self.conn.invalidate()
            raise KeyboardInterrupt

    monkeypatch.setattr(BulkSession, "write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        generate(engine, tiny_params())
    monkeypatch.undo()

    assert set(data_counts(engine).values()) == {0}
    assert [status for status, _, _ in runs(engine)] == ["failed"]
    generate(engine, tiny_params())  # indexes rebuilt: a new run succeeds
    assert count(engine, "orders") == 1_000
