"""The scale model: row counts per scale factor and refused factors."""

import pytest

from shopdb.datagen.scale import parse_scale, scale_for
from shopdb.errors import ConfigError


def test_sf1_is_six_hundred_thousand_users_and_a_million_orders():
    # six users per ten orders: most buyers buy once, as in real shops (generator 2.0)
    scale = scale_for(1)
    assert (scale.users, scale.orders, scale.products) == (600_000, 1_000_000, 10_000)


def test_users_and_orders_grow_linearly_and_the_catalogue_more_slowly():
    small, big = scale_for(1), scale_for(100)
    assert big.users == 100 * small.users
    assert big.orders == 100 * small.orders
    assert big.products == 10 * small.products


def test_the_smallest_scale_still_has_a_shop():
    scale = scale_for(0.001)
    assert scale.users == 600
    assert scale.orders == 1_000
    assert scale.products == 316  # 10,000 x sqrt(0.001)
    assert scale_for(0.0001).products == 200  # the floor


@pytest.mark.parametrize("raw", ["0", "-1", "abc", "nan", "inf", "", "1e9"])
def test_a_bad_scale_factor_is_refused_in_one_line(raw):
    with pytest.raises(ConfigError) as raised:
        parse_scale(raw)
    assert "\n" not in str(raised.value)
    assert "scale factor" in str(raised.value)
