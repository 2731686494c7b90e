"""Each check catches the corruption it exists for, and only the expected checks fail.

Every case corrupts the shared valid shop inside a transaction that is rolled back.
"""

from __future__ import annotations

import pytest
from audit_corruptions import CASES, bypass_constraints, restore_constraints

from shopdb.audit import CHECKS, run_checks


def test_every_check_has_a_corruption_case():
    caught = set().union(*(expected for _, expected in CASES.values()))
    assert caught == {c.name for c in CHECKS}


@pytest.mark.parametrize("case", sorted(CASES))
def test_corruption_fails_only_the_expected_checks(shop_engine, case):
    corrupt, expected = CASES[case]
    with shop_engine.connect() as conn:
        try:
            conn.begin()
            bypass_constraints(conn)
            corrupt(conn)
            results = run_checks(conn)
        finally:
            conn.rollback()
            restore_constraints(conn)

    failed = {r.name: r for r in results if not r.passed}
    assert set(failed) == expected
    for result in failed.values():
        assert result.violation_count >= 1
        assert 1 <= len(result.sample) <= result.violation_count
