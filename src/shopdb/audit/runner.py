"""Run the audit's SQL files and collect what each one found."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from shopdb.audit.catalog import CHECKS, Check
from shopdb.db.admin import require_schema
from shopdb.db.backend import SQLITE, backend_name
from shopdb.db.grouping import room_to_group
from shopdb.db.overflow import overflow_refused
from shopdb.db.rows import utc_text
from shopdb.db.snapshot import read_snapshot
from shopdb.errors import InvalidInput
from shopdb.queries.sqlfiles import load_sql

SAMPLE_SIZE = 5
"""How many violating rows a result keeps to show."""


@dataclass(frozen=True)
class CheckResult:
    """What one check found: how many rows break it and the first few of them."""

    name: str
    description: str
    violation_count: int
    sample: tuple[Mapping[str, Any], ...]

    @property
    def passed(self) -> bool:
        """Whether the check's query returned no rows."""
        return self.violation_count == 0

    def as_dict(self) -> dict[str, Any]:
        """The result as plain JSON-ready values."""
        return {
            "name": self.name,
            "description": self.description,
            "passed": self.passed,
            "violation_count": self.violation_count,
            "sample": [dict(row) for row in self.sample],
        }


def run_checks(bind: Engine | Connection, names: Sequence[str] | None = None) -> list[CheckResult]:
    """Run the checks (all, or those named) and return their results in catalogue order.

    Given an engine, the checks run in one read-only transaction (a repeatable-read
    snapshot on the servers) that is rolled back, so they see one consistent state and
    change nothing. Given a connection, they run in its current transaction.

    Raises:
        InvalidInput: a name is not a known check.
        SchemaError: the database holds no (or an incomplete) shopdb schema.
        NumberOverflow: a check's sum passes 2**63 - 1 (SQLite refuses it); the checks
            stop there, having changed nothing.
    """
    checks = _select(names)
    if isinstance(bind, Connection):
        return [_run_one(bind, check) for check in checks]
    with read_snapshot(bind) as conn:
        require_schema(conn)
        with room_to_group(conn):
            return [_run_one(conn, check) for check in checks]


def check_sql(name: str, dialect: str = SQLITE) -> str:
    """The query of check ``name`` as it runs on ``dialect``, fragments expanded."""
    return load_sql("shopdb.audit", name, dialect)


def _select(names: Sequence[str] | None) -> list[Check]:
    if names is None:
        return list(CHECKS)
    known = {check.name: check for check in CHECKS}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise InvalidInput(f"unknown check {unknown[0]!r}: use one of {', '.join(known)}")
    return [check for check in CHECKS if check.name in names]


def _run_one(conn: Connection, check: Check) -> CheckResult:
    sql = check_sql(check.name, backend_name(conn))
    with overflow_refused(f"check {check.name!r}"):
        # the database stops after a few rows; only a failing check pays for a full count
        rows = conn.execute(
            text(f"select * from (\n{sql}\n) as v order by 1 limit {SAMPLE_SIZE + 1}")
        )
        sample = tuple(
            {key: _plain(value) for key, value in row.items()} for row in rows.mappings()
        )
        count = len(sample)
        if count > SAMPLE_SIZE:
            count = conn.execute(text(f"select count(*) from (\n{sql}\n) as v")).scalar_one()
    return CheckResult(check.name, check.description, count, sample[:SAMPLE_SIZE])


def _plain(value: Any) -> Any:
    """A sample value as the same plain Python value on every backend."""
    if isinstance(value, Decimal):  # MariaDB sums integers as DECIMAL
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, datetime):
        # the text SQLite stores, so timestamps read the same everywhere
        return utc_text(value)
    return value
