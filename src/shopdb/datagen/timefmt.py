"""Format Unix seconds as text, column-wise (NumPy's own formatter is ~1 µs a value)."""

from __future__ import annotations

import numpy as np

from shopdb.datagen.frames import AnyArray, Array

_SUFFIX = np.frombuffer(b".000000", dtype=np.uint8)


def civil(seconds: Array) -> tuple[Array, ...]:
    """Year, month, day, hour, minute, second of each Unix time (proleptic Gregorian)."""
    days, second_of_day = np.divmod(seconds, 86_400)
    # Howard Hinnant's days-to-civil algorithm, vectorised
    z = days + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1_460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    hour, rest = np.divmod(second_of_day, 3_600)
    minute, second = np.divmod(rest, 60)
    return year, month, day, hour, minute, second


def sqlalchemy_text(seconds: Array) -> AnyArray:
    """'YYYY-MM-DD HH:MM:SS.000000' for each time: SQLAlchemy's SQLite storage format."""
    year, month, day, hour, minute, second = civil(np.asarray(seconds, dtype=np.int64))
    out = np.empty((len(year), 26), dtype=np.uint8)
    for start, value, width in (
        (0, year, 4),
        (5, month, 2),
        (8, day, 2),
        (11, hour, 2),
        (14, minute, 2),
        (17, second, 2),
    ):
        for i in range(width):
            out[:, start + i] = 48 + (value // 10 ** (width - 1 - i)) % 10
    out[:, [4, 7]] = ord("-")
    out[:, 10] = ord(" ")
    out[:, [13, 16]] = ord(":")
    out[:, 19:] = _SUFFIX
    return out.view("S26").ravel().astype("U26")


def digits(values: Array, width: int) -> AnyArray:
    """Each value as ``width`` zero-padded ASCII digits: a (n, width) uint8 matrix."""
    out = np.empty((len(values), width), dtype=np.uint8)
    rest = np.asarray(values, dtype=np.int64)
    for i in range(width - 1, -1, -1):
        rest, digit = np.divmod(rest, 10)
        out[:, i] = 48 + digit
    return out
