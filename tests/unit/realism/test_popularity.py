"""Popularity: a bounded head at any time, nothing sold before it is listed, drift."""

from __future__ import annotations

from datetime import date

import numpy as np

from shopdb.datagen.params import DAY, make_params
from shopdb.datagen.popularity import BEST_SELLER_CAP, draw_popularity


def test_no_product_takes_more_than_the_cap_and_unlisted_ones_take_nothing() -> None:
    params = make_params(1, 0.001, date(2026, 1, 1), 3)
    gen = np.random.default_rng(0)
    listed = params.start_s + gen.integers(-400, 900, 316) * DAY
    popularity = draw_popularity(gen, params, listed)

    for at in (params.start_s, params.start_s + 500 * DAY, params.end_s - DAY):
        share = np.diff(np.concatenate([[0.0], popularity.cdf_at(at)]))
        assert share.max() <= BEST_SELLER_CAP * 1.01
        assert share[listed >= at].sum() == 0
        assert abs(share.sum() - 1) < 1e-9


def test_popularity_drifts_between_the_first_and_the_last_year() -> None:
    params = make_params(2, 0.1, date(2026, 1, 1), 3)
    gen = np.random.default_rng(1)
    listed = np.full(3162, params.start_s - DAY)
    popularity = draw_popularity(gen, params, listed)
    early = np.diff(popularity.cdf_at(params.start_s + 30 * DAY), prepend=0.0)
    late = np.diff(popularity.cdf_at(params.end_s - 30 * DAY), prepend=0.0)
    top = len(listed) // 10

    overlap = np.intersect1d(np.argsort(-early)[:top], np.argsort(-late)[:top])
    assert 0.3 < len(overlap) / top < 0.95
