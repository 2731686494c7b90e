"""A change of generated rows without a generator version bump fails here.

The golden file holds ``shopdb checksum`` of a small shop (seed 11, SF 0.001) generated
by the version it names; how to record a new one is in ``golden_digest.py``.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from typing import Any

import pytest
from golden_digest import COMMAND, GOLDEN, generated_digest

from shopdb.datagen.params import GENERATOR_VERSION


@pytest.fixture(scope="module")
def current(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The golden file's content for the shop this checkout generates."""
    return generated_digest(tmp_path_factory.mktemp("golden"))


def test_the_same_generator_version_generates_the_golden_rows(current: dict[str, Any]) -> None:
    golden = json.loads(GOLDEN.read_text())

    assert golden["generator_version"] == GENERATOR_VERSION, (
        f"GENERATOR_VERSION is {GENERATOR_VERSION} but the golden digest is of "
        f"{golden['generator_version']}: record the new rows with {COMMAND}"
    )
    assert golden["params"] == current["params"]
    changed = sorted(t for t in golden["tables"] if golden["tables"][t] != current["tables"][t])
    assert changed == [], (
        f"generator {GENERATOR_VERSION} now generates other rows in {', '.join(changed)} "
        f"(golden made with {golden['library_versions']}, now {current['library_versions']}): "
        f"bump GENERATOR_VERSION in shopdb/datagen/params.py, then run {COMMAND}"
    )
    assert set(current["tables"]) == set(golden["tables"])


def test_a_run_records_the_versions_of_the_libraries_that_shape_its_rows(
    current: dict[str, Any],
) -> None:
    assert current["library_versions"] == (f"numpy {version('numpy')}, faker {version('faker')}")
