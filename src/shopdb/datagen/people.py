"""Customers: names from seeded Faker pools, emails derived from the names, sign-ups over time.

Faker is called only to fill small name pools per country (a few hundred names each);
every user is then drawn column-wise from the pools. Emails are ``first.last``,
``flast``, ``first_last`` or ``first.l`` at a provider; when that address is taken, a
number is appended (``john.smith2``), so every address is unique by construction.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

import numpy as np
from faker import Faker

from shopdb.datagen.frames import AnyArray, Array, Frame, labels
from shopdb.datagen.params import PEOPLE, POOLS, GenParams, rng
from shopdb.datagen.people_data import (
    COUNTRIES,
    EMAIL_PATTERNS,
    GLOBAL_DOMAINS,
    LOCAL_DOMAIN_SHARE,
    NAME_POOL,
)

SIGNUP_GROWTH = 0.5
"""Sign-ups per day grow by e**0.5 (about 65%) a year."""
EXISTING_SHARE = 0.12
"""Share of users who signed up in the two years before the period (the shop existed)."""
SEGMENT_SHARES = (0.25, 0.45, 0.30)
"""Never buy, buy once, buy again: new customers of the last two order their first
time soon after signing up; repeat buyers are then drawn for the other orders."""
PROPENSITY_SIGMA = 0.7
"""Spread of repeat buyers' log-normal propensity: a few order far more than most ..."""
PROPENSITY_CAP = 5.0
"""... but none more than this many times the median (loyal customers order monthly)."""
LOYAL_SHARE = 0.3
"""Share of repeat buyers who stay; the others lapse (their rate decays) ..."""
LAPSE_DAYS = 240
"""... with this time constant from sign-up: cohort retention falls, then flattens."""
FIRST_ORDER_DELAY = 8 * 3600
"""Mean time from sign-up to first order, in seconds (exponential)."""
NEVER = 2**62
PERSON_PROVIDER = "faker.providers.person"
"""The one Faker provider the name pools draw from."""


@dataclass
class Pools:
    """Name and city pools, flattened over countries with per-country offsets."""

    first: AnyArray
    last: AnyArray
    first_key: Array
    last_key: Array
    first_initial: AnyArray
    last_initial: AnyArray
    first_plain: AnyArray
    """Each first name as it appears in an email: 'Zoë' -> 'zoe'."""
    last_plain: AnyArray
    first_span: tuple[Array, Array]
    last_span: tuple[Array, Array]
    city: AnyArray
    city_span: tuple[Array, Array]
    domains: AnyArray


@dataclass
class People:
    """Every user's drawn attributes (indices into the pools), in user-id order."""

    country: Array
    first: Array
    last: Array
    city: Array
    pattern: Array
    domain: Array
    created_at: Array
    propensity: AnyArray
    loyal: AnyArray
    """Repeat buyers whose propensity does not decay (the rest lapse)."""
    first_order_at: Array
    """When a new buyer means to place a first order (``NEVER``: no first order)."""
    number: Array | None = None
    """Per user, how many earlier users hold the same address: counted on first use
    (``email_numbers``), since only the users' rows need it, not the orders."""

    def __len__(self) -> int:
        return len(self.created_at)

    def email_numbers(self, pools: Pools) -> Array:
        """``number``, counted now if it was not yet (no random draws: the same either way)."""
        if self.number is None:
            self.number = _email_numbers(pools, self.first, self.last, self.pattern, self.domain)
        return self.number


def build_pools(params: GenParams) -> Pools:
    """Fill the name pools from Faker, seeded from the run's seed."""
    return _pools(int(rng(params, POOLS).integers(0, 2**31)))


@functools.lru_cache(maxsize=4)
def _pools(faker_seed: int) -> Pools:
    # cached: building Faker for nine locales takes about a second; pools never change.
    # Only the person provider is loaded: Faker looks for every default provider's
    # locale module otherwise (most of that second), and the names come out the same.
    firsts: list[list[str]] = []
    lasts: list[list[str]] = []
    for country in COUNTRIES:
        fake = Faker(country.locale, providers=[PERSON_PROVIDER])
        fake.seed_instance(faker_seed)
        firsts.append(_usable(fake.first_name() for _ in range(NAME_POOL)))
        lasts.append(_usable(fake.last_name() for _ in range(NAME_POOL)))
    first, first_key, first_span = _flatten(firsts)
    last, last_key, last_span = _flatten(lasts)
    city, _, city_span = _flatten([list(c.cities) for c in COUNTRIES])
    domains = [d for d, _ in GLOBAL_DOMAINS] + [d for c in COUNTRIES for d in c.domains]
    return Pools(
        first,
        last,
        first_key,
        last_key,
        _object([_ascii(x)[0] for x in first]),
        _object([_ascii(x)[0] for x in last]),
        _object([_ascii(x) for x in first]),
        _object([_ascii(x) for x in last]),
        first_span,
        last_span,
        city,
        city_span,
        _object(domains),
    )


def draw_people(params: GenParams, pools: Pools) -> People:
    """Draw every user's country, name, city, email pattern, sign-up time and propensity."""
    gen = rng(params, PEOPLE)
    n = params.scale.users
    shares = np.array([c.share for c in COUNTRIES])
    country = gen.choice(len(COUNTRIES), n, p=shares / shares.sum())
    first = _pick(gen, country, pools.first_span, skew=1.5)
    last = _pick(gen, country, pools.last_span, skew=1.3)
    city = _pick(gen, country, pools.city_span, skew=2.0)
    weights = np.array([w for _, w in EMAIL_PATTERNS])
    pattern = gen.choice(len(weights), n, p=weights / weights.sum())
    domain = _domains(gen, country)
    created = _signups(gen, params, n)
    segment = gen.choice(3, n, p=np.asarray(SEGMENT_SHARES))
    drawn = np.minimum(gen.lognormal(0.0, PROPENSITY_SIGMA, n), PROPENSITY_CAP)
    propensity = np.where(segment == 2, drawn, 0.0)
    loyal = gen.random(n) < LOYAL_SHARE
    propensity[0], loyal[0] = max(propensity[0], 1.0), True  # someone takes the first order
    delay = gen.exponential(FIRST_ORDER_DELAY, n).astype(np.int64)
    new_buyer = (segment > 0) & (created >= params.start_s)
    first_order = np.where(new_buyer, created + 1 + delay, NEVER)
    return People(
        country, first, last, city, pattern, domain, created, propensity, loyal, first_order
    )


def user_frame(people: People, pools: Pools, lo: int, hi: int) -> Frame:
    """The ``users`` rows for user ids ``lo+1 .. hi``."""
    part = slice(lo, hi)
    first, last = people.first[part], people.last[part]
    pattern, number = people.pattern[part], people.email_numbers(pools)[part]
    fa, la = pools.first_plain[first], pools.last_plain[last]
    local = np.empty(len(first), dtype=object)
    # each pattern's strings are built only for its users
    for code, left, sep, right in (
        (0, fa, ".", la),
        (1, pools.first_initial[first], "", la),
        (2, fa, "_", la),
        (3, fa, ".", pools.last_initial[last]),
    ):
        mine = pattern == code
        local[mine] = left[mine] + sep + right[mine]
    numbered = np.flatnonzero(number > 0)
    local[numbered] = local[numbered] + number[numbered].astype(str).astype(object)
    email = local + "@" + pools.domains[people.domain[part]]
    # names, countries and cities as codes into their pools: no Python string per row
    # (the lake's Arrow columns are taken from the pools; a database gets the same text)
    return Frame(
        "users",
        {
            "user_id": np.arange(lo + 1, hi + 1, dtype=np.int64),
            "email": email,
            "first_name": labels(tuple(pools.first), first),
            "last_name": labels(tuple(pools.last), last),
            "created_at": people.created_at[part],
            "country_code": labels(tuple(c.code for c in COUNTRIES), people.country[part]),
            "city": labels(tuple(pools.city), people.city[part]),
        },
    )


def _signups(gen: np.random.Generator, params: GenParams, n: int) -> Array:
    # inverse CDF of a density growing as exp(g t) over the period, sorted so ids follow time
    span = params.end_s - params.start_s - 1
    years = span / (365.25 * 86_400)
    u = gen.random(n)
    t = np.log1p(u * np.expm1(SIGNUP_GROWTH * years)) / (SIGNUP_GROWTH * years)
    created = params.start_s + (t * span).astype(np.int64)
    existing = gen.random(n) < EXISTING_SHARE
    created[existing] = params.start_s - gen.integers(1, 2 * 365 * 86_400, int(existing.sum()))
    created = np.sort(created)
    created[0] = min(created[0], params.start_s)
    return created


def _domains(gen: np.random.Generator, country: Array) -> Array:
    n_global = len(GLOBAL_DOMAINS)
    weights = np.array([w for _, w in GLOBAL_DOMAINS])
    domain = gen.choice(n_global, len(country), p=weights / weights.sum())
    local = gen.random(len(country)) < LOCAL_DOMAIN_SHARE
    counts = np.array([len(c.domains) for c in COUNTRIES])
    offsets = n_global + np.concatenate([[0], np.cumsum(counts)[:-1]])
    pick = offsets[country] + (gen.random(len(country)) * counts[country]).astype(np.int64)
    return np.where(local, pick, domain)


def _email_numbers(pools: Pools, first: Array, last: Array, pattern: Array, domain: Array) -> Array:
    """For each user, how many earlier users already hold the same address (0: none)."""
    a = np.where(pattern == 1, _initial_codes(pools.first_initial)[first], pools.first_key[first])
    b = np.where(pattern == 3, _initial_codes(pools.last_initial)[last], pools.last_key[last])
    # first.last and first_last differ only by the separator, so the pattern is in the key
    key = _packed([pattern.astype(np.int64), a, b, np.asarray(domain, dtype=np.int64)])
    order, ordered = _stable_sort(key)
    starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
    group_start = np.repeat(starts, np.diff(np.concatenate([starts, [len(key)]])))
    number = np.empty(len(key), dtype=np.int64)
    number[order] = np.arange(len(key)) - group_start
    return number


def _packed(fields: list[Array]) -> Array:
    """Non-negative integer fields as one int64 ordered like the tuples, each field as
    wide as its largest value needs (a few hundred names: 12 bits, not 20)."""
    key = np.zeros(len(fields[0]), dtype=np.int64)
    width = 0
    for field in fields:
        bits = int(field.max()).bit_length() if len(field) else 0
        key = key << bits | field
        width += bits
    if width > 62:
        raise ValueError(f"email keys need {width} bits")
    return key


def _stable_sort(key: Array) -> tuple[Array, Array]:
    """``argsort(key, kind="stable")`` and the sorted keys, by one plain sort of the keys
    with their positions in the low bits (equal keys stay in position order; 4 times
    faster than a stable argsort of 6 M keys)."""
    shift = max(len(key) - 1, 1).bit_length()
    if len(key) and int(key.max()).bit_length() + shift > 62:
        order = np.argsort(key, kind="stable")
        return order, key[order]
    packed = np.sort(key << shift | np.arange(len(key), dtype=np.int64))
    return packed & ((1 << shift) - 1), packed >> shift


def _initial_codes(initials: AnyArray) -> Array:
    return np.array([ord(x) for x in initials], dtype=np.int64)


def _pick(
    gen: np.random.Generator, country: Array, span: tuple[Array, Array], skew: float
) -> Array:
    offsets, counts = span
    # u ** skew favours the front of each pool: some names are much more common
    u = gen.random(len(country)) ** skew
    return offsets[country] + (u * counts[country]).astype(np.int64)


def _usable(names: object) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for name in names:  # type: ignore[attr-defined]
        if name not in seen and len(_ascii(name)) >= 2:
            out.append(name)
        seen.add(name)
    return out


def _flatten(groups: list[list[str]]) -> tuple[AnyArray, Array, tuple[Array, Array]]:
    flat = [x for g in groups for x in g]
    counts = np.array([len(g) for g in groups], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    _, key = np.unique([_ascii(x) for x in flat], return_inverse=True)
    return _object(flat), key.astype(np.int64), (offsets, counts)


@functools.lru_cache(maxsize=65_536)
def _ascii(name: str) -> str:
    """A name as it appears in an email: 'Zoë O'Brien-Lee' -> 'zoeobrienlee'.

    Cached: a pool asks for each name's form four times over, and Faker repeats names.
    """
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def _object(values: list[str]) -> AnyArray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out
