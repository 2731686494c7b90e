"""The golden digest: ``shopdb checksum`` of a small generated shop, tied to the generator.

``test_golden_digest`` generates the shop again and compares. To record new rows after a
deliberate change (with ``GENERATOR_VERSION`` bumped in ``shopdb/datagen/params.py``):

    .venv/bin/python tests/integration/datagen/golden_digest.py

which rewrites ``golden_digest.json`` next to this file; commit it with the change.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from conftest_datagen import tiny_params
from sqlalchemy import select

from shopdb.checksum import table_checksums
from shopdb.config import parse_database_url
from shopdb.datagen.generate import generate
from shopdb.datagen.params import GENERATOR_VERSION
from shopdb.db.admin import init_schema
from shopdb.db.engine import make_engine
from shopdb.db.schema import generation_runs

GOLDEN = Path(__file__).with_name("golden_digest.json")
COMMAND = ".venv/bin/python tests/integration/datagen/golden_digest.py"


def generated_digest(workdir: Path) -> dict[str, Any]:
    """Generate the tiny shop (seed 11, SF 0.001) into SQLite; what the golden file holds."""
    params = tiny_params()
    engine = make_engine(parse_database_url(f"sqlite:///{workdir / 'golden.sqlite3'}"))
    try:
        init_schema(engine)
        generate(engine, params, jobs=1)
        with engine.connect() as conn:
            versions = conn.execute(select(generation_runs.c.library_versions)).scalar_one()
        tables = {
            name: {"rows": checksum.row_count, "sha256": checksum.digest}
            for name, checksum in table_checksums(engine).items()
        }
    finally:
        engine.dispose()
    return {
        "generator_version": GENERATOR_VERSION,
        "library_versions": versions,
        "params": params.describe(),
        "tables": tables,
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        digest = generated_digest(Path(workdir))
    GOLDEN.write_text(json.dumps(digest, indent=2) + "\n")
    print(f"wrote {GOLDEN} (generator {digest['generator_version']}, {digest['params']})")


if __name__ == "__main__":
    sys.exit(main())
