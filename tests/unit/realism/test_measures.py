"""The realism measures computed from hand-made query rows, with hand-checked answers."""

from __future__ import annotations

import pytest

from shopdb.realism.measures import basket_measures, customer_measures, service_measures
from shopdb.realism.pairs import noun_of, pairs_from


def test_customer_measures_from_an_order_count_histogram() -> None:
    # 2 users never ordered, 6 ordered once, 3 twice, 1 ten times: 10 buyers, 22 orders
    histogram = [(0, 2), (1, 6), (2, 3), (10, 1)]
    # 8 buyers old enough to count: 3 came back within a year, 1 later, 4 not yet
    seconds = [(None, 4), (30, 2), (200, 1), (400, 1)]

    values = customer_measures(histogram, seconds)

    assert values["max_orders_per_customer"] == 10
    assert values["top_10pct_buyers_orders"] == pytest.approx(10 / 22)
    assert values["one_time_buyers"] == pytest.approx(0.6)
    assert values["buyers_of_users"] == pytest.approx(10 / 12)
    assert values["repeat_within_year"] == pytest.approx(3 / 8)


def test_basket_and_service_measures() -> None:
    baskets = basket_measures([(1, 5), (2, 3), (4, 2)])
    service = service_measures([(2, 1), (3, 5), (9, 1)], [("completed", 90, 90), ("failed", 10, 8)])

    assert baskets == {"basket_mean": pytest.approx(1.9), "single_item_orders": 0.5}
    assert service == {"delivery_days": 3.0, "payment_failure_rate": pytest.approx(0.1)}


def test_a_camera_and_its_memory_card_are_complements_two_cameras_are_not() -> None:
    row = (1, 2, 6, 20, 30, 1000, "Cameras", "Chargers & Accessories")
    pair = pairs_from([(*row, "Kyro Pro Camera A1", "Kyro Max Memory Card S3")])[0]
    cameras = (1, 2, 6, 20, 30, 1000, "Cameras", "Cameras")
    not_pair = pairs_from([(*cameras, "Kyro Pro Camera A1", "Arcton Lite Action Camera X2")])[0]

    assert pair.is_complement and pair.lift == pytest.approx(10.0)
    assert not not_pair.is_complement
    assert noun_of("Kyro Pro Action Camera X5", "Cameras") == "Action Camera"
