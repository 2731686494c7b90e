"""Every check has its SQL file, its sentence, and its line in docs/audit.md."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from shopdb.audit import CHECKS, check_sql
from shopdb.lifecycle import TRANSITIONS

DOC = Path(__file__).resolve().parents[3] / "docs" / "audit.md"


def test_every_check_has_one_sql_file_and_every_file_a_check():
    folder = resources.files("shopdb.audit").joinpath("sql")
    files = {p.name.split(".")[0] for p in folder.iterdir() if p.name.endswith(".sql")}

    assert files == {c.name for c in CHECKS}
    assert len({c.name for c in CHECKS}) == len(CHECKS)


def test_sql_has_no_bind_parameters_and_no_trailing_semicolon():
    for check in CHECKS:
        sql = check_sql(check.name)
        # text() would read a colon-name, even in a comment, as a bind parameter
        assert not re.search(r"(?<![:\w]):\w", sql), check.name
        assert sql.lower().lstrip().startswith(("select", "with", "--")), check.name
        assert not sql.endswith(";")


def test_descriptions_are_one_sentence():
    for check in CHECKS:
        assert check.description.endswith("."), check.name
        assert check.description.count(". ") == 0, check.name


def test_docs_list_every_check_with_its_sentence():
    doc = DOC.read_text(encoding="utf-8")

    for check in CHECKS:
        assert f"| `{check.name}` | {check.description} |" in doc


def test_history_check_allows_exactly_the_lifecycle_transitions():
    sql = check_sql("history_follows_lifecycle")
    pairs = set(re.findall(r"from_status = '(\w+)' and to_status = '(\w+)'", sql))

    assert pairs == {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
