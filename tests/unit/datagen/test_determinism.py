"""The same parameters give the same rows, whatever the number of processes."""

from __future__ import annotations

from datetime import date

import numpy as np

from shopdb.datagen.frames import Labels
from shopdb.datagen.params import make_params
from shopdb.datagen.people import user_frame
from shopdb.datagen.pipeline import generate_chunks, plan, worker_context


def _rows(seed, jobs=1, scale=0.002):
    shop = plan(make_params(seed, scale, date(2025, 3, 1), 2))
    out = {"users": user_frame(shop.people, shop.pools, 0, len(shop.people)).columns}
    out["products"] = shop.catalog.products.columns
    for rows in generate_chunks(shop.shared, shop.chunks, jobs):
        for frame in rows.frames:
            out[f"{frame.table}/{rows.chunk.index}"] = frame.columns
    return out


def _plain(column):
    return list(column.strings()) if isinstance(column, Labels) else list(np.asarray(column))


def _same(a, b):
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].keys() == b[name].keys(), name
        for column in a[name]:
            assert _plain(a[name][column]) == _plain(b[name][column]), (name, column)


def test_the_same_seed_gives_identical_rows():
    _same(_rows(3), _rows(3))


def test_one_and_two_processes_give_identical_rows():
    _same(_rows(3, jobs=1), _rows(3, jobs=2))


def test_another_seed_gives_other_rows():
    a, b = _rows(3), _rows(4)
    assert _plain(a["users"]["email"]) != _plain(b["users"]["email"])
    assert _plain(a["orders/0"]["created_at"]) != _plain(b["orders/0"]["created_at"])


def test_workers_are_not_forked_from_a_possibly_threaded_parent():
    # fork copies other threads' held locks into the child (Python 3.12 warns about it)
    assert worker_context().get_start_method() in ("forkserver", "spawn")
