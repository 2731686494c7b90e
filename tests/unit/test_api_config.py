"""The API's settings from the environment: defaults, the pool size, refusals."""

from __future__ import annotations

import pytest

from shopdb.api.config import ENV_FOLD_INTERVAL, ENV_POOL_SIZE, ApiConfig, load_api_config
from shopdb.errors import ConfigError


def test_unset_settings_keep_their_defaults() -> None:
    config = load_api_config({})
    assert config.pool_size == ApiConfig().pool_size == 10
    assert config.analytics_slots == 2


def test_the_pool_size_is_read_from_the_environment() -> None:
    assert load_api_config({ENV_POOL_SIZE: "24"}).pool_size == 24


@pytest.mark.parametrize("value", ["0", "101", "ten", "1.5"])
def test_a_bad_pool_size_is_a_config_error(value: str) -> None:
    with pytest.raises(ConfigError, match=r"POOL_SIZE|malformed"):
        load_api_config({ENV_POOL_SIZE: value})


def test_the_fold_interval_is_read_and_bounded() -> None:
    assert load_api_config({}).fold_interval_s == ApiConfig().fold_interval_s == 0
    assert load_api_config({ENV_FOLD_INTERVAL: "2.5"}).fold_interval_s == 2.5
    for value in ("-1", "86401", "soon"):
        with pytest.raises(ConfigError, match=r"FOLD_INTERVAL|malformed"):
            load_api_config({ENV_FOLD_INTERVAL: value})
