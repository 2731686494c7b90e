"""``/v1/audit``: the integrity audit of ``shopdb check``, for admins."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel

from shopdb.api.deps import EngineDep, Principal, needs
from shopdb.api.threads import ThreadedRoute
from shopdb.audit import run_checks

router = APIRouter(tags=["audit"], route_class=ThreadedRoute)


class CheckPublic(BaseModel):
    """One check: how many rows break it, and the first few."""

    name: str
    description: str
    violation_count: int
    passed: bool
    sample: list[dict[str, Any]]


class AuditPublic(BaseModel):
    """Every check of the audit, in catalogue order."""

    passed: bool
    data: list[CheckPublic]


@router.get("/audit")
def audit(engine: EngineDep, _: Annotated[Principal, needs("audit:read")]) -> AuditPublic:
    """Run every check of ``shopdb check`` in one read-only transaction."""
    results = run_checks(engine)
    data = [
        CheckPublic(
            name=r.name,
            description=r.description,
            violation_count=r.violation_count,
            passed=r.passed,
            sample=[{k: _plain(v) for k, v in row.items()} for row in r.sample],
        )
        for r in results
    ]
    return AuditPublic(passed=all(c.passed for c in data), data=data)


def _plain(value: Any) -> Any:
    # samples hold ints, text, timestamps and decimals: JSON gets them as text if need be
    return value if value is None or isinstance(value, int | str | float) else str(value)
