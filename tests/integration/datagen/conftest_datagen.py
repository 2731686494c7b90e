"""Generated shops in real databases, and SQL that looks at them."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from shopdb.datagen.params import make_params
from shopdb.db.schema import DATA_TABLES, generation_runs

END = date(2025, 11, 26)
TINY = 0.001
"""600 users, 1,000 orders: every invariant has cases, and a backend loads it in seconds."""


def tiny_params(seed: int = 11, scale: float = TINY):
    """The parameters the integration tests generate with."""
    return make_params(seed, scale, END, 2)


def count(engine: Engine, table: str) -> int:
    """Rows in a table."""
    with engine.connect() as conn:
        return int(conn.execute(text(f"select count(*) from {table}")).scalar_one())


def data_counts(engine: Engine) -> dict[str, int]:
    """Rows in every data table."""
    return {t.name: count(engine, t.name) for t in DATA_TABLES}


def canonical_digest(engine: Engine) -> dict[str, str]:
    """A digest of each data table's rows, ordered by key, values in a portable form."""
    out = {}
    with engine.connect() as conn:
        for table in DATA_TABLES:
            columns = [c for c in table.columns if c.name != "parent_key"]
            rows = conn.execute(select(*columns).order_by(*table.primary_key.columns))
            digest = hashlib.sha256()
            for row in rows:
                digest.update(repr(tuple(_portable(v) for v in row)).encode())
            out[table.name] = digest.hexdigest()
    return out


def runs(engine: Engine) -> list[tuple[str, str, str]]:
    """(status, scale_factor, generator_version) of each recorded run."""
    with engine.connect() as conn:
        query = select(
            generation_runs.c.status, generation_runs.c.scale_factor, generation_runs.c.end_date
        ).order_by(generation_runs.c.run_id)
        return [tuple(r) for r in conn.execute(query)]


def _portable(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    return value
