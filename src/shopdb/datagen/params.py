"""What one generation run is asked for, and the random streams derived from it.

Every random draw comes from ``rng(params, stream, index)``: a NumPy generator seeded by
``SeedSequence(seed, spawn_key=(stream, index))``. Chunk ``i`` of orders always gets the
same generator whatever the number of worker processes, so ``--jobs`` never changes a row.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import metadata
from typing import TYPE_CHECKING

from shopdb.datagen.scale import Scale, format_scale, scale_for
from shopdb.errors import ConfigError

if TYPE_CHECKING:
    import numpy as np

GENERATOR_VERSION = "2.0"
"""Bumped whenever the same parameters would give different rows (the golden digest test,
tests/integration/datagen/test_golden_digest.py, fails on a change of rows without it)."""
SHAPING_LIBRARIES = ("numpy", "faker")
"""The libraries whose output is part of the rows: NumPy's random streams and
distributions, Faker's name lists. Their versions are recorded with every run."""
DEFAULT_YEARS = 3
DAY = 86_400

# the streams: one number per kind of draw, never reused for another purpose
CATALOG, PEOPLE, POOLS, CALENDAR, ORDERS, STOCK = 1, 2, 3, 4, 5, 6


@dataclass(frozen=True)
class GenParams:
    """Seed, scale, and the covered period ``[start, end)`` (midnights UTC)."""

    seed: int
    scale: Scale
    end: date
    years: int

    @property
    def start(self) -> date:
        """The first day covered: ``years`` calendar years before ``end``."""
        year = self.end.year - self.years
        day = min(self.end.day, calendar.monthrange(year, self.end.month)[1])
        return date(year, self.end.month, day)

    @property
    def start_s(self) -> int:
        """``start`` as Unix seconds."""
        return epoch(self.start)

    @property
    def end_s(self) -> int:
        """``end`` as Unix seconds: the data's "now"; every timestamp is before it."""
        return epoch(self.end)

    @property
    def days(self) -> int:
        """Number of days covered."""
        return (self.end - self.start).days

    def describe(self) -> str:
        """One line naming the parameters."""
        return (
            f"seed {self.seed}, scale {format_scale(self.scale.factor)}, "
            f"{self.start.isoformat()} to {self.end.isoformat()}"
        )


def make_params(seed: int, scale_factor: float | str, end: date, years: int) -> GenParams:
    """Validate and bundle the parameters of a run.

    Raises:
        ConfigError: the scale factor is not above zero, the seed is negative, or the
            period is empty or starts before year 1.
    """
    scale = scale_for(float(scale_factor) if isinstance(scale_factor, str) else scale_factor)
    if seed < 0 or seed >= 2**63:
        raise ConfigError(f"seed must be between 0 and 2**63-1, got {seed}")
    if years < 1:
        raise ConfigError(
            f"years must be at least 1 (the data would end before it starts): {years}"
        )
    if end.year - years < 1970:
        raise ConfigError(f"the data would start before 1970: end {end.isoformat()}, {years} years")
    return GenParams(seed=seed, scale=scale, end=end, years=years)


def parse_end(raw: str) -> date:
    """Parse the last day of the data (YYYY-MM-DD).

    Raises:
        ConfigError: not a valid date.
    """
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ConfigError(f"end must be a date like 2025-12-31, got {raw!r}") from None


def epoch(day: date) -> int:
    """Midnight UTC of ``day`` as Unix seconds."""
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def library_versions() -> str:
    """The installed versions of ``SHAPING_LIBRARIES``, as ``numpy 2.1.3, faker 30.8.2``."""
    return ", ".join(f"{name} {metadata.version(name)}" for name in SHAPING_LIBRARIES)


def rng(params: GenParams, stream: int, index: int = 0) -> np.random.Generator:
    """The random generator for one stream and chunk of a run."""
    # imported here: the CLI reads this module's defaults, and --help must not load NumPy
    import numpy as np

    return np.random.default_rng(np.random.SeedSequence(params.seed, spawn_key=(stream, index)))
