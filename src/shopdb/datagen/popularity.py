"""Product popularity: a long tail with a bounded head, drifting over the years.

Each product has a log-normal base weight (a few sell far more than most, many sell a
little), a yearly trend (some rise, some fade), and a launch bump in its first months;
it sells only once listed. The weights are recomputed at the start of each chunk of
orders, and no product takes more than ``BEST_SELLER_CAP`` of the draws, so the best
seller stays believable at every scale: in a real general shop it is in a few percent of
orders at most, not a third.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopdb.datagen.frames import AnyArray, Array
from shopdb.datagen.params import DAY, GenParams

POPULARITY_SIGMA = 1.1
"""Spread of log base popularity: the top 1% of products take about 10-15% of draws."""
BEST_SELLER_CAP = 0.015
"""Largest share of product draws any one product takes at any time."""
DRIFT_SIGMA = 0.3
"""Spread of each product's yearly log trend: after a year, one in six is 35% up or down."""
LAUNCH_BOOST = 1.5
"""A new product sells up to 1 + 1.5 times its base rate in its first weeks ..."""
LAUNCH_FADE_DAYS = 90
"""... fading with this time constant."""
YEAR = 365.25 * DAY


@dataclass(frozen=True)
class Popularity:
    """Per product: log base weight, yearly trend, listing time; and the period's middle."""

    log_weight: AnyArray
    trend: AnyArray
    listed_at: Array
    middle_s: int

    @property
    def base(self) -> AnyArray:
        """Base weights normalised to sum to 1 (what stock levels are sized from)."""
        weights = np.exp(self.log_weight)
        return np.asarray(weights / weights.sum())

    def cdf_at(self, at_s: int) -> AnyArray:
        """Cumulative draw probabilities at time ``at_s`` (products listed by then only)."""
        age = (at_s - self.listed_at) / DAY
        listed = age > 0
        log_w = self.log_weight + self.trend * ((at_s - self.middle_s) / YEAR)
        boost = 1.0 + LAUNCH_BOOST * np.exp(-np.maximum(age, 0.0) / LAUNCH_FADE_DAYS)
        weights = np.where(listed, np.exp(log_w) * boost, 0.0)
        if not listed.any():
            weights = np.where(self.listed_at == self.listed_at.min(), 1.0, 0.0)
        return np.asarray(np.cumsum(_capped(weights)))


def draw_popularity(gen: np.random.Generator, params: GenParams, listed_at: Array) -> Popularity:
    """Base weights, trends and listing times of ``len(listed_at)`` products."""
    n = len(listed_at)
    return Popularity(
        log_weight=gen.normal(0.0, POPULARITY_SIGMA, n),
        trend=gen.normal(0.0, DRIFT_SIGMA, n),
        listed_at=listed_at,
        middle_s=(params.start_s + params.end_s) // 2,
    )


def _capped(weights: AnyArray) -> AnyArray:
    """Weights normalised to sum to 1, none above ``BEST_SELLER_CAP`` (where possible).

    The k largest are set to the cap and the rest scaled up by ``(1 - k x cap) / rest``;
    k is the smallest count for which no scaled share exceeds the cap.
    """
    share = weights / weights.sum()
    if np.count_nonzero(share) * BEST_SELLER_CAP <= 1.0:
        return np.asarray(share)  # too few products listed for any cap to hold
    ranked = np.sort(share)[::-1]
    rest = np.concatenate([np.cumsum(ranked[::-1])[::-1], [0.0]])  # rest[k]: below the top k
    k = np.arange(len(ranked))
    scale = (1.0 - k * BEST_SELLER_CAP) / np.maximum(rest[:-1], 1e-300)
    first = int(np.argmax(scale * ranked <= BEST_SELLER_CAP))
    return np.asarray(np.minimum(share * scale[first], BEST_SELLER_CAP))
