"""Library errors name parameters, never command-line flags: the CLI adds those (a
library caller, or the API, has no ``--source`` to pass). Read from the source, so a
new message breaking the rule fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from shopdb.cli.base import in_cli_words
from shopdb.errors import InvalidInput
from shopdb.queries import get_query

SRC = Path(__file__).resolve().parents[2] / "src" / "shopdb"
_FLAG = re.compile(r"(?<![\w-])--[a-z]")


def _raised_texts(tree: ast.AST) -> list[tuple[int, str]]:
    texts = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            for part in ast.walk(node.exc):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    texts.append((node.lineno, part.value))
    return texts


def _library_modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "cli" not in p.relative_to(SRC).parts)


def test_no_library_error_names_a_command_line_flag() -> None:
    found = [
        f"{path.relative_to(SRC)}:{line}: {text!r}"
        for path in _library_modules()
        for line, text in _raised_texts(ast.parse(path.read_text(encoding="utf-8")))
        if _FLAG.search(text)
    ]
    assert found == []


def test_the_rule_sees_a_flag_in_a_message() -> None:
    tree = ast.parse('raise InvalidInput(f"use --source base, got {x}")')
    assert [text for _, text in _raised_texts(tree) if _FLAG.search(text)] == [
        "use --source base, got "
    ]


def test_an_unknown_query_names_no_command() -> None:
    with pytest.raises(InvalidInput) as raised:
        get_query("no_such_query")
    assert str(raised.value) == "unknown query 'no_such_query': no catalogue query has that name"


def test_the_cli_says_a_parameter_as_its_flag() -> None:
    with pytest.raises(Exception) as raised, in_cli_words({"clients must": "--clients must"}):
        raise InvalidInput("clients must be from 1 to 64, got 0")
    assert str(raised.value.message) == "--clients must be from 1 to 64, got 0"  # type: ignore[attr-defined]
