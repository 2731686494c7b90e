"""A small generated shop, in memory, shared by the distribution tests."""

from __future__ import annotations

from datetime import date

import pytest

from shopdb.datagen.frames import Frame, concat
from shopdb.datagen.params import make_params
from shopdb.datagen.pipeline import Plan, generate_chunks, plan


@pytest.fixture(scope="session")
def small_shop() -> tuple[Plan, dict[str, Frame]]:
    """SF 0.05 (5,000 users, 50,000 orders), generated without a database."""
    shop = plan(make_params(7, 0.05, date(2025, 6, 1), 3))
    frames: dict[str, list[Frame]] = {}
    for rows in generate_chunks(shop.shared, shop.chunks):
        for frame in rows.frames:
            frames.setdefault(frame.table, []).append(frame)
    return shop, {name: concat(parts) for name, parts in frames.items()}
