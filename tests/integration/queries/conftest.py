"""Fixtures for the query tests: the tiny shop (analytics_tiny_shop) on every backend."""

from __future__ import annotations

import pytest
from analytics_tiny_shop import load_tiny_shop
from sqlalchemy.engine import Engine


@pytest.fixture
def tiny_shop(engine: Engine) -> Engine:
    """An engine on the tiny shop, on each backend."""
    load_tiny_shop(engine)
    return engine
