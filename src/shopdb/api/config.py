"""The API's own settings, next to the shared ``Settings``: loaded at the edge, passed in."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from shopdb.errors import ConfigError

ENV_SECRET = "SHOPDB_API_SECRET"
ENV_ANALYTICS_TIMEOUT = "SHOPDB_API_ANALYTICS_TIMEOUT_S"
ENV_ANALYTICS_SLOTS = "SHOPDB_API_ANALYTICS_SLOTS"
ENV_KEY_CACHE = "SHOPDB_API_KEY_CACHE_S"
ENV_POOL_SIZE = "SHOPDB_API_POOL_SIZE"
ENV_FOLD_INTERVAL = "SHOPDB_API_FOLD_INTERVAL_S"
DEFAULT_FOLD_INTERVAL_S = 60.0
"""How often ``shopdb serve`` folds the change logs unless told otherwise."""


@dataclass(frozen=True)
class ApiConfig:
    """How the API signs cursors and bounds analytics.

    Attributes:
        secret: signs pagination and event cursors; every worker of one server needs the
            same one (``shopdb serve`` hands its workers one), else a cursor from one
            worker is refused by the next.
        analytics_timeout_s: the statement timeout of an analytics query (then 503).
        analytics_slots: analytics queries that may run at once, each on its own
            connection from a pool of that size and its own thread, none of them taken
            from the order endpoints.
        analytics_wait_s: how long a query may queue for a slot before a 503.
        event_gap_ttl_s: how long the event feed waits for a missing id to commit: longer
            than any shopdb transaction stays open.
        key_cache_s: how long a process trusts a key it looked up before looking it up
            again: a key revoked elsewhere (the CLI, another worker) is refused within
            this; 0 looks every request's key up.
        pool_size: database connections a worker keeps open for the routes (as many
            again may be opened for a burst, and closed after it). Below the number of
            requests in flight, connections are opened and closed all the time: a
            connection costs milliseconds to open, a request a fraction of one.
        fold_interval_s: how often the worker folds the rollups' change logs
            (``rollups.refresher``); 0 never (``shopdb serve`` folds every 60 s).
    """

    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    analytics_timeout_s: float = 10.0
    analytics_slots: int = 2
    analytics_wait_s: float = 5.0
    event_gap_ttl_s: float = 600.0
    key_cache_s: float = 1.0
    pool_size: int = 10
    fold_interval_s: float = 0.0


def load_api_config(environ: Mapping[str, str]) -> ApiConfig:
    """Read the API's settings from ``environ``; what is unset keeps its default.

    Raises:
        ConfigError: a malformed number.
    """
    defaults = ApiConfig()
    secret = environ.get(ENV_SECRET)
    try:
        timeout = float(environ.get(ENV_ANALYTICS_TIMEOUT, defaults.analytics_timeout_s))
        slots = int(environ.get(ENV_ANALYTICS_SLOTS, defaults.analytics_slots))
        key_cache_s = float(environ.get(ENV_KEY_CACHE, defaults.key_cache_s))
        pool_size = int(environ.get(ENV_POOL_SIZE, defaults.pool_size))
        fold_interval_s = float(environ.get(ENV_FOLD_INTERVAL, defaults.fold_interval_s))
    except ValueError as exc:
        raise ConfigError(f"malformed API setting: {exc}") from None
    if timeout <= 0 or slots < 1:
        raise ConfigError("the analytics timeout must be positive and the slots at least 1")
    if not 0 <= key_cache_s <= 60:
        raise ConfigError(f"{ENV_KEY_CACHE} must be between 0 and 60 seconds")
    if not 1 <= pool_size <= 100:
        raise ConfigError(f"{ENV_POOL_SIZE} must be from 1 to 100")
    if not 0 <= fold_interval_s <= 86_400:
        raise ConfigError(f"{ENV_FOLD_INTERVAL} must be from 0 to 86400 seconds")
    return ApiConfig(
        secret=secret.encode("utf-8") if secret else defaults.secret,
        analytics_timeout_s=timeout,
        analytics_slots=slots,
        key_cache_s=key_cache_s,
        pool_size=pool_size,
        fold_interval_s=fold_interval_s,
    )
