"""The lake's change log: what the services record, what an export reads from it, and
when it falls back to fingerprints."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import Engine

from shopdb.checksum import table_checksums
from shopdb.db.engine import make_engine
from shopdb.db.lake_log import lake_deltas, lake_versions, versions
from shopdb.db.schema import inventory, orders, products, users
from shopdb.errors import OutOfStock
from shopdb.lake.export import export_lake
from shopdb.lake.layout import MANIFEST, read_manifest
from shopdb.lake.verify import lake_checksums
from shopdb.rollups.build import refresh
from shopdb.services import create_product, pay_order, place_order, restock, update_user
from shopdb.services.records import delete_product

EARLY = datetime(2024, 3, 9, 12, 0, tzinfo=UTC)


def _digests(folder: Path) -> dict[str, object]:
    manifest = read_manifest(folder)
    return {
        name: (entry.row_count, entry.digest, {k: p.digest for k, p in entry.partitions.items()})
        for name, entry in manifest.tables.items()
        if name != "generation_runs"
    }


def _ids(engine: Engine) -> tuple[int, int, int]:
    """A user, and two products with stock."""
    with engine.connect() as conn:
        user_id = conn.execute(select(users.c.user_id).order_by("user_id").limit(1)).scalar_one()
        stocked = select(inventory.c.product_id).where(inventory.c.quantity_on_hand > 5)
        first, second = [r[0] for r in conn.execute(stocked.order_by("product_id").limit(2))]
    return user_id, first, second


def _count(engine: Engine, table: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_an_order_logs_its_partitions_once_per_transaction(shop_engine: Engine) -> None:
    user_id, first, second = _ids(shop_engine)
    before = _count(shop_engine, lake_deltas)

    place_order(shop_engine, user_id, {first: 1, second: 2}, now=EARLY)

    with shop_engine.connect() as conn:
        rows = conn.execute(
            select(lake_deltas.c.table_name, lake_deltas.c.month_index)
            .order_by(lake_deltas.c.delta_id)
            .offset(before)
        ).all()
    march = 2024 * 12 + 2
    assert sorted(rows) == [
        ("inventory", -1),
        ("inventory_movements", march),
        ("order_items", march),
        ("order_status_history", march),
        ("orders", march),
    ]


def test_a_failed_order_logs_nothing(shop_engine: Engine) -> None:
    user_id, first, _ = _ids(shop_engine)
    before = _count(shop_engine, lake_deltas)

    with pytest.raises(OutOfStock):
        place_order(shop_engine, user_id, {first: 10**6})

    assert _count(shop_engine, lake_deltas) == before


def test_folding_keeps_one_row_per_partition_and_every_version(shop_engine: Engine) -> None:
    user_id, first, _ = _ids(shop_engine)
    for _ in range(3):
        order_id = place_order(shop_engine, user_id, {first: 1}, now=EARLY)
        pay_order(shop_engine, order_id, None, "card")
    with shop_engine.connect() as conn:
        pending = versions(conn)
    assert pending[("orders", 2024 * 12 + 2)] == 6  # three places, three payments

    assert refresh(shop_engine) > 0

    assert _count(shop_engine, lake_deltas) == 0
    with shop_engine.connect() as conn:
        assert versions(conn) == pending
        stored = conn.execute(select(func.count()).select_from(lake_versions)).scalar_one()
    assert stored == len(pending)  # one row per touched partition, none per write


def test_a_re_export_reads_the_log_and_equals_a_full_export(
    shop_engine: Engine, tmp_path: Path
) -> None:
    first = export_lake(shop_engine, tmp_path / "lake")
    user_id, product_id, _ = _ids(shop_engine)
    order_id = place_order(shop_engine, user_id, {product_id: 1}, now=EARLY)
    pay_order(shop_engine, order_id, None, "card")
    update_user(shop_engine, user_id, city="Porto")

    again = export_lake(shop_engine, tmp_path / "lake")
    export_lake(shop_engine, tmp_path / "full")

    assert first.compared == "full" and again.compared == "log"
    assert sorted(again.rewritten) == [
        "inventory/part-000002.parquet",
        "inventory_movements/month=2024-03/part-000002.parquet",
        "order_items/month=2024-03/part-000002.parquet",
        "order_status_history/month=2024-03/part-000002.parquet",
        "orders/month=2024-03/part-000002.parquet",
        "payments/month=2024-03/part-000002.parquet",
        "users/part-000002.parquet",
    ]
    assert _digests(tmp_path / "lake") == _digests(tmp_path / "full")
    assert lake_checksums(tmp_path / "lake") == table_checksums(shop_engine)


def test_two_lakes_from_one_database_both_equal_a_full_export(
    shop_engine: Engine, tmp_path: Path
) -> None:
    user_id, first, second = _ids(shop_engine)
    export_lake(shop_engine, tmp_path / "a")
    place_order(shop_engine, user_id, {first: 1}, now=EARLY)
    export_lake(shop_engine, tmp_path / "b")
    order_id = place_order(shop_engine, user_id, {second: 1})
    pay_order(shop_engine, order_id, None, "card")
    refresh(shop_engine)  # folded between the exports: versions must not move
    place_order(shop_engine, user_id, {first: 1}, now=datetime(2024, 5, 2, tzinfo=UTC))

    a = export_lake(shop_engine, tmp_path / "a")
    b = export_lake(shop_engine, tmp_path / "b")
    export_lake(shop_engine, tmp_path / "full")

    assert a.compared == b.compared == "log"
    # a has not seen the March order, b has
    assert "orders/month=2024-03/part-000002.parquet" in a.rewritten
    assert not any("month=2024-03" in f for f in b.rewritten)
    full = _digests(tmp_path / "full")
    assert _digests(tmp_path / "a") == full
    assert _digests(tmp_path / "b") == full


def test_a_lake_of_another_epoch_compares_fingerprints(shop_engine: Engine, tmp_path: Path) -> None:
    # a lake exported before the log existed (or from another database, or before a
    # generate) names no epoch, or another one
    lake = tmp_path / "lake"
    export_lake(shop_engine, lake)
    manifest = json.loads((lake / MANIFEST).read_text())
    del manifest["source"]["log_epoch"]
    (lake / MANIFEST).write_text(json.dumps(manifest))
    user_id, product_id, _ = _ids(shop_engine)
    place_order(shop_engine, user_id, {product_id: 1}, now=EARLY)

    again = export_lake(shop_engine, lake)
    then = export_lake(shop_engine, lake)

    assert again.compared == "fingerprints" and then.compared == "log"
    assert "orders/month=2024-03/part-000002.parquet" in again.rewritten
    assert then.rewritten == []
    assert lake_checksums(lake) == table_checksums(shop_engine)


def test_sql_written_by_hand_is_found_by_fingerprints_only(
    shop_engine: Engine, tmp_path: Path
) -> None:
    lake = tmp_path / "lake"
    export_lake(shop_engine, lake)
    with shop_engine.begin() as conn:
        order_id = conn.execute(select(func.min(orders.c.order_id))).scalar_one()
        conn.execute(orders.update().where(orders.c.order_id == order_id).values(total_cents=1))

    missed = export_lake(shop_engine, lake)
    found = export_lake(shop_engine, lake, fingerprints=True)

    assert missed.compared == "log" and missed.rewritten == []
    # the order's month, and its items' (they carry the order's columns: lake format 2)
    folders = [file.rsplit("/", 1)[0] for file in found.rewritten]
    month = folders[0].removeprefix("orders/")
    assert found.compared == "fingerprints" and month.startswith("month=")
    assert folders == [f"orders/{month}", f"order_items/{month}"]
    assert lake_checksums(lake) == table_checksums(shop_engine)


def _held_order(
    url: Any, user_id: int, product_id: int, holding: threading.Event, release: threading.Event
) -> None:
    engine = make_engine(url)

    @event.listens_for(engine, "before_cursor_execute")
    def hold(*args: Any) -> None:
        # its rows are written, its log rows not yet: it commits after the snapshot
        if args[2].lstrip().upper().startswith("INSERT INTO LAKE_DELTAS"):
            holding.set()
            release.wait(60)

    try:
        place_order(engine, user_id, {product_id: 1}, now=EARLY)
    finally:
        engine.dispose()


def test_a_commit_after_the_exports_snapshot_is_exported_next_time(
    backend: str, shop_engine: Engine, tmp_path: Path
) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite serializes writers: the export's fold waits for the open write")
    user_id, first, second = _ids(shop_engine)
    lake = tmp_path / "lake"
    export_lake(shop_engine, lake)
    holding, release = threading.Event(), threading.Event()
    worker = threading.Thread(
        target=_held_order, args=(shop_engine.url, user_id, first, holding, release)
    )
    worker.start()
    try:
        assert holding.wait(60), "the held order never reached its hold"
        place_order(shop_engine, user_id, {second: 1})  # commits first
        during = export_lake(shop_engine, lake)
    finally:
        release.set()
        worker.join(60)

    after = export_lake(shop_engine, lake)
    export_lake(shop_engine, tmp_path / "full")

    assert during.compared == after.compared == "log"
    assert not any("month=2024-03" in f for f in during.rewritten)
    assert "orders/month=2024-03/part-000003.parquet" in after.rewritten
    assert _digests(lake) == _digests(tmp_path / "full")
    assert lake_checksums(lake) == table_checksums(shop_engine)


def test_products_deleted_with_their_movements_reach_the_lake(
    shop_engine: Engine, tmp_path: Path
) -> None:
    with shop_engine.connect() as conn:
        category_id = conn.execute(text("select min(category_id) from categories")).scalar_one()
        assert conn.execute(select(func.count()).select_from(products)).scalar_one() > 0
    product_id = create_product(
        shop_engine,
        category_id=category_id,
        sku="LAKE-1",
        name="Lake test",
        price_cents=100,
        quantity=3,
        now=EARLY,
    )
    restock(shop_engine, product_id, 2, now=datetime(2024, 4, 1, tzinfo=UTC))
    lake = tmp_path / "lake"
    export_lake(shop_engine, lake)

    delete_product(shop_engine, product_id)
    again = export_lake(shop_engine, lake)

    assert again.compared == "log"
    assert {f.split("/")[1] for f in again.rewritten if "movements" in f} == {
        "month=2024-03",
        "month=2024-04",
    }
    assert lake_checksums(lake) == table_checksums(shop_engine)
