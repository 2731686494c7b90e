"""A tiny shop for the service tests: one category, two users, two products."""

from __future__ import annotations

import pytest
from services_support import Shop, create_shop
from sqlalchemy.engine import Engine


@pytest.fixture
def shop(engine: Engine) -> Shop:
    """The engine's database holding the tiny shop of ``services_support.create_shop``."""
    return create_shop(engine)
