"""Each customer's RFM segment, for the customer pages: the scores ``rfm_segments``
counts, for a few customers at once.

``rfm_segments`` ranks every customer to count the segments. A customer's rank needs only
how many customers rank before them, so ``sql/customer_segments.sql`` counts customers
per order count and per recency in RFM's groups of customers
(``customer_recency_frequency``, all history, as of ``LATEST``, a midnight) instead of
ranking them one by one. The score and the segment's rule are the
fragments ``{rfm_score}`` and ``{rfm_segment}``, which ``rfm_segments.sql`` uses too, so
the segments shown per customer add up to the segments counted (a test holds them equal).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Engine

from shopdb.db.backend import backend_name
from shopdb.queries.params import LATEST
from shopdb.queries.sqlfiles import load_sql
from shopdb.rollups.buckets import day_index

SEGMENTS_SQL = "customer_segments"
"""The SQL file's name in ``sql/``: beside the catalogue's files, but not a catalogue query
(it takes a list of customers)."""


@dataclass(frozen=True)
class CustomerSegment:
    """A customer's recency and frequency scores (1-5) and their segment."""

    user_id: int
    r_score: int
    f_score: int
    segment: str


def customer_segments(engine: Engine, user_ids: Collection[int]) -> dict[int, CustomerSegment]:
    """The RFM segment of each of ``user_ids`` over all history, as ``rfm_segments``
    with its default end ranks them; a customer without a recognized order has none
    (is absent). Read-only, one statement."""
    if not user_ids:
        return {}
    sql = load_sql("shopdb.queries", SEGMENTS_SQL, backend_name(engine))
    stmt = text(sql).bindparams(
        bindparam("user_ids", sorted(set(user_ids)), expanding=True),
        bindparam("d_as_of", day_index(LATEST)),
    )
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return {
        int(row.user_id): CustomerSegment(
            int(row.user_id), int(row.r_score), int(row.f_score), str(row.segment)
        )
        for row in rows
    }
