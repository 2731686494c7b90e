"""The integrity audit: invariants the schema cannot express, each one SQL query.

``run_checks(engine)`` runs every query in ``CHECKS`` in one read-only snapshot and
returns one ``CheckResult`` per check; a check passes when its query returns no rows.
"""

from __future__ import annotations

from shopdb.audit.catalog import CHECKS, Check
from shopdb.audit.runner import SAMPLE_SIZE, CheckResult, check_sql, run_checks

__all__ = ["CHECKS", "SAMPLE_SIZE", "Check", "CheckResult", "check_sql", "run_checks"]
