"""Where the shop's customers live and which mail providers they use."""

from __future__ import annotations

from typing import NamedTuple


class Country(NamedTuple):
    """A country: ISO code, Faker locale, share of customers, cities, local mail domains."""

    code: str
    locale: str
    share: float
    cities: tuple[str, ...]
    domains: tuple[str, ...]


COUNTRIES: tuple[Country, ...] = (
    Country(
        "US",
        "en_US",
        0.36,
        (
            "New York",
            "Los Angeles",
            "Chicago",
            "Houston",
            "Phoenix",
            "Philadelphia",
            "San Antonio",
            "San Diego",
            "Dallas",
            "Austin",
            "Seattle",
            "Denver",
            "Boston",
            "Portland",
            "Atlanta",
            "Miami",
            "Minneapolis",
        ),
        ("comcast.net", "aol.com"),
    ),
    Country(
        "GB",
        "en_GB",
        0.14,
        (
            "London",
            "Birmingham",
            "Manchester",
            "Leeds",
            "Glasgow",
            "Liverpool",
            "Bristol",
            "Sheffield",
            "Edinburgh",
            "Cardiff",
            "Leicester",
            "Nottingham",
        ),
        ("btinternet.com", "hotmail.co.uk"),
    ),
    Country(
        "DE",
        "de_DE",
        0.12,
        (
            "Berlin",
            "Hamburg",
            "München",
            "Köln",
            "Frankfurt am Main",
            "Stuttgart",
            "Düsseldorf",
            "Leipzig",
            "Dortmund",
            "Bremen",
            "Dresden",
            "Hannover",
        ),
        ("gmx.de", "web.de", "t-online.de"),
    ),
    Country(
        "FR",
        "fr_FR",
        0.10,
        (
            "Paris",
            "Marseille",
            "Lyon",
            "Toulouse",
            "Nice",
            "Nantes",
            "Strasbourg",
            "Montpellier",
            "Bordeaux",
            "Lille",
            "Rennes",
        ),
        ("orange.fr", "free.fr", "laposte.net"),
    ),
    Country(
        "ES",
        "es_ES",
        0.07,
        (
            "Madrid",
            "Barcelona",
            "Valencia",
            "Sevilla",
            "Zaragoza",
            "Málaga",
            "Bilbao",
            "Alicante",
            "Córdoba",
            "Valladolid",
        ),
        ("telefonica.net", "yahoo.es"),
    ),
    Country(
        "IT",
        "it_IT",
        0.06,
        (
            "Roma",
            "Milano",
            "Napoli",
            "Torino",
            "Palermo",
            "Genova",
            "Bologna",
            "Firenze",
            "Bari",
            "Verona",
        ),
        ("libero.it", "virgilio.it"),
    ),
    Country(
        "NL",
        "nl_NL",
        0.05,
        (
            "Amsterdam",
            "Rotterdam",
            "Den Haag",
            "Utrecht",
            "Eindhoven",
            "Groningen",
            "Tilburg",
            "Almere",
        ),
        ("ziggo.nl", "kpnmail.nl"),
    ),
    Country(
        "CA",
        "en_CA",
        0.06,
        (
            "Toronto",
            "Montréal",
            "Vancouver",
            "Calgary",
            "Edmonton",
            "Ottawa",
            "Winnipeg",
            "Québec",
            "Hamilton",
        ),
        ("rogers.com", "shaw.ca"),
    ),
    Country(
        "AU",
        "en_AU",
        0.04,
        (
            "Sydney",
            "Melbourne",
            "Brisbane",
            "Perth",
            "Adelaide",
            "Canberra",
            "Hobart",
        ),
        ("bigpond.com", "optusnet.com.au"),
    ),
)

GLOBAL_DOMAINS = (
    ("gmail.com", 0.42),
    ("yahoo.com", 0.10),
    ("hotmail.com", 0.09),
    ("outlook.com", 0.09),
    ("icloud.com", 0.08),
    ("proton.me", 0.02),
)
"""Providers used everywhere, with their share; local providers share the remaining 20%."""
LOCAL_DOMAIN_SHARE = 0.20

EMAIL_PATTERNS = (
    ("first.last", 0.46),
    ("flast", 0.22),
    ("first_last", 0.12),
    ("first.l", 0.20),
)
"""How a local part is made from a name: john.smith, jsmith, john_smith, john.s."""

NAME_POOL = 400
"""Faker draws per locale for each of first and last names (duplicates removed)."""
