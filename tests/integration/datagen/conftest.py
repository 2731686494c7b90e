"""Fixtures for the generator's integration tests (helpers live in conftest_datagen)."""

from __future__ import annotations

import pytest
from conftest_datagen import tiny_params
from sqlalchemy.engine import Engine

from shopdb.datagen.generate import generate


@pytest.fixture
def shop(engine: Engine) -> Engine:
    """A database holding a generated tiny shop."""
    generate(engine, tiny_params())
    return engine
