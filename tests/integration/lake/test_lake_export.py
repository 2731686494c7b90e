"""``lake export``: the lake holds the database's rows, and a re-export only what changed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from shopdb.checksum import table_checksums
from shopdb.db.schema import SCHEMA_VERSION, orders, products, users
from shopdb.lake.duck import DuckLake
from shopdb.lake.export import export_lake
from shopdb.lake.layout import MANIFEST, read_manifest
from shopdb.lake.verify import lake_checksums
from shopdb.services import (
    cancel_order,
    deliver_order,
    pay_order,
    place_order,
    refund_order,
    restock,
    ship_order,
    update_user,
)


def _digests(folder: Path) -> dict[str, object]:
    manifest = read_manifest(folder)
    return {
        name: (entry.row_count, entry.digest, {k: p.digest for k, p in entry.partitions.items()})
        for name, entry in manifest.tables.items()
        if name != "generation_runs"
    }


def test_the_lake_holds_the_databases_rows(shop_engine: Engine, tmp_path: Path) -> None:
    result = export_lake(shop_engine, tmp_path / "lake")

    expected = table_checksums(shop_engine)
    assert lake_checksums(tmp_path / "lake") == expected
    manifest = read_manifest(tmp_path / "lake")
    assert manifest.schema_revision == SCHEMA_VERSION
    assert manifest.tables["orders"].row_count == expected["orders"].row_count
    months = sorted(manifest.tables["orders"].partitions)
    assert months[0] == "2023-07" and months[-1] == "2025-06"
    assert (tmp_path / "lake/orders/month=2024-02/part-000001.parquet").is_file()
    assert result.kept == 0 and len(result.rewritten) == len(manifest.files())


def _pending(engine: Engine, status: str, n: int) -> list[int]:
    query = select(orders.c.order_id).where(orders.c.status == status).order_by(orders.c.order_id)
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(query.limit(n))]


def _work(engine: Engine) -> None:
    """The services' kinds of change, on orders of several months."""
    with engine.connect() as conn:
        user_id = conn.execute(select(users.c.user_id).limit(1)).scalar_one()
        product_id = conn.execute(select(products.c.product_id).limit(1)).scalar_one()
    restock(engine, product_id, 50)
    new_id = place_order(engine, user_id, {product_id: 1})
    pay_order(engine, new_id, _total(engine, new_id), "card")
    ship_order(engine, new_id)
    deliver_order(engine, new_id)
    for order_id in _pending(engine, "pending", 2):
        cancel_order(engine, order_id)
    for order_id in _pending(engine, "shipped", 2):
        refund_order(engine, order_id)
    update_user(engine, user_id, city="Lisbon")


def _total(engine: Engine, order_id: int) -> int:
    with engine.connect() as conn:
        query = select(orders.c.total_cents).where(orders.c.order_id == order_id)
        return int(conn.execute(query).scalar_one())


def test_a_re_export_rewrites_only_changed_months_and_equals_a_full_one(
    shop_engine: Engine, tmp_path: Path
) -> None:
    first = export_lake(shop_engine, tmp_path / "lake")
    _work(shop_engine)

    again = export_lake(shop_engine, tmp_path / "lake")
    export_lake(shop_engine, tmp_path / "full")

    assert _digests(tmp_path / "lake") == _digests(tmp_path / "full")
    assert lake_checksums(tmp_path / "lake") == table_checksums(shop_engine)
    # the new order's month, the months of the changed orders, users and inventory
    assert 0 < len(again.rewritten) < len(first.rewritten) // 3
    assert again.kept > 0
    assert read_manifest(tmp_path / "lake").export_number == 2
    # the files of the first export that were replaced are gone
    listed = {str(tmp_path / "lake" / f) for f in read_manifest(tmp_path / "lake").files()}
    on_disk = {str(p) for p in (tmp_path / "lake").rglob("*.parquet")}
    assert on_disk == listed


def test_a_status_change_alone_rewrites_its_items_month(
    shop_engine: Engine, tmp_path: Path
) -> None:
    # the items of a cancelled order do not change in the database, only their order:
    # the month's items carry the order's status, so they are rewritten with it
    lake = tmp_path / "lake"
    export_lake(shop_engine, lake)
    (order_id,) = _pending(shop_engine, "pending", 1)
    with shop_engine.connect() as conn:
        placed = conn.execute(
            select(orders.c.created_at).where(orders.c.order_id == order_id)
        ).scalar_one()
    cancel_order(shop_engine, order_id)

    again = export_lake(shop_engine, lake)

    month = f"{placed:%Y-%m}"
    assert f"order_items/month={month}/part-000002.parquet" in again.rewritten
    with DuckLake(lake) as duck:
        _, rows = duck.fetch(
            "select distinct order_status from order_items where order_id = :id",
            {"id": order_id},
        )
    assert rows == [("cancelled",)]
    assert lake_checksums(lake) == table_checksums(shop_engine)


def test_a_re_export_without_changes_writes_nothing(shop_engine: Engine, tmp_path: Path) -> None:
    export_lake(shop_engine, tmp_path / "lake")
    before = _digests(tmp_path / "lake")

    again = export_lake(shop_engine, tmp_path / "lake")

    assert again.rewritten == [] and again.rows_written == 0
    assert _digests(tmp_path / "lake") == before


def test_an_interrupted_export_leaves_the_previous_lake(
    shop_engine: Engine, tmp_path: Path
) -> None:
    lake = tmp_path / "lake"
    export_lake(shop_engine, lake)
    before = (lake / MANIFEST).read_text()
    checksums = lake_checksums(lake)
    _work(shop_engine)

    def interrupt(table: str, rows: int) -> None:
        if table == "order_items":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export_lake(shop_engine, lake, full=True, progress=interrupt)

    assert (lake / MANIFEST).read_text() == before
    assert lake_checksums(lake) == checksums
    listed = {str(lake / f) for f in read_manifest(lake).files()}
    assert {str(p) for p in lake.rglob("*.parquet")} == listed


def test_an_export_from_the_generator_lake_source_is_a_full_one(
    shop_engine: Engine, tmp_path: Path
) -> None:
    # a lake whose manifest names another source is rewritten whole, not patched
    lake = tmp_path / "lake"
    export_lake(shop_engine, lake)
    manifest = json.loads((lake / MANIFEST).read_text())
    manifest["source"] = {"kind": "generator"}
    (lake / MANIFEST).write_text(json.dumps(manifest))

    again = export_lake(shop_engine, lake)

    assert again.kept == 0
    assert lake_checksums(lake) == table_checksums(shop_engine)


def test_the_watermark_names_the_snapshot(shop_engine: Engine, tmp_path: Path) -> None:
    before = datetime.now(UTC)
    export_lake(shop_engine, tmp_path / "lake")
    watermark = read_manifest(tmp_path / "lake").watermark
    assert datetime.fromisoformat(watermark["snapshot_opened_at"]) >= before
    assert watermark["max_ids"]["orders"] == table_checksums(shop_engine)["orders"].row_count
