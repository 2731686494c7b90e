"""A transaction that commits after a later one (out of id and time order) still reaches
the lake at the next export: the lake compares months' contents, not a watermark."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from shopdb.checksum import table_checksums
from shopdb.db.engine import make_engine
from shopdb.db.schema import inventory, users
from shopdb.lake.export import export_lake
from shopdb.lake.layout import read_manifest
from shopdb.lake.verify import lake_checksums
from shopdb.services import place_order

EARLY = datetime(2024, 3, 9, 12, 0, tzinfo=UTC)


def _held_order(
    url: Any,
    user_id: int,
    product_id: int,
    holding: threading.Event,
    release: threading.Event,
    placed: list[int],
) -> None:
    engine = make_engine(url)

    @event.listens_for(engine, "before_cursor_execute")
    def hold(*args: Any) -> None:
        if args[2].lstrip().upper().startswith("INSERT INTO INVENTORY_MOVEMENTS"):
            holding.set()
            release.wait(60)

    try:
        placed.append(place_order(engine, user_id, {product_id: 1}, now=EARLY))
    finally:
        engine.dispose()


def test_a_late_commit_with_an_early_id_and_time_is_exported(
    backend: str, shop_engine: Engine, tmp_path: Path
) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite serializes writers: no commit can overtake an open write")
    with shop_engine.connect() as conn:
        user_id = conn.execute(select(users.c.user_id).limit(1)).scalar_one()
        stocked = select(inventory.c.product_id).where(inventory.c.quantity_on_hand > 0)
        first, second = [r[0] for r in conn.execute(stocked.order_by("product_id").limit(2))]
    holding, release, placed = threading.Event(), threading.Event(), []
    url = shop_engine.url
    worker = threading.Thread(
        target=_held_order, args=(url, user_id, first, holding, release, placed)
    )
    worker.start()
    try:
        assert holding.wait(60), "the first order never reached its hold"
        later = place_order(shop_engine, user_id, {second: 1})  # commits first
        export_lake(shop_engine, tmp_path / "lake")
    finally:
        release.set()
        worker.join(60)
    assert placed and placed[0] < later

    # the first export saw the later order, not the held one
    seen = read_manifest(tmp_path / "lake").watermark["max_ids"]["orders"]
    assert seen == later

    again = export_lake(shop_engine, tmp_path / "lake")
    export_lake(shop_engine, tmp_path / "full")

    assert "orders/month=2024-03/part-000002.parquet" in again.rewritten
    assert lake_checksums(tmp_path / "lake") == table_checksums(shop_engine)
    lake, full = read_manifest(tmp_path / "lake"), read_manifest(tmp_path / "full")
    for name in ("orders", "order_items", "order_status_history", "inventory_movements"):
        assert lake.tables[name].digest == full.tables[name].digest, name
