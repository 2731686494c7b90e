"""``generate``, ``demo`` and ``report`` against hostile use: existing data, bad output
paths, dates in the future, too many jobs, SIGTERM and a second concurrent run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest_datagen import canonical_digest, count, data_counts, runs
from sqlalchemy import insert, text
from sqlalchemy.engine import Engine

from shopdb.audit import run_checks
from shopdb.cli import cli
from shopdb.datagen.generate import generation_lock
from shopdb.db.runlock import Busy
from shopdb.db.schema import generation_runs
from shopdb.db.types import utcnow

SHOPDB = Path(sys.executable).parent / "shopdb"


def _run(db_url_text: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", db_url_text, *args])
    return result.exit_code, result.output


def _one_line_error(code: int, out: str, words: str) -> None:
    assert code == 1, out
    assert out.startswith("Error: ") and words in out and out.count("\n") == 1, out


@pytest.mark.parametrize(
    "args",
    [
        ["demo", "--scale", "0.001", "--report", "{tmp}/report.html"],
        ["generate", "--scale", "0.001", "--reset"],
    ],
)
def test_existing_shop_data_is_not_replaced_without_yes(
    shop: Engine, db_url_text: str, tmp_path: Path, args: list[str]
) -> None:
    before = canonical_digest(shop)

    code, out = _run(db_url_text, *[a.replace("{tmp}", str(tmp_path)) for a in args])

    _one_line_error(code, out, "holds shop data (users, categories, products, ...): pass --yes")
    assert canonical_digest(shop) == before


def test_demo_with_yes_replaces_existing_data(
    shop: Engine, db_url_text: str, tmp_path: Path
) -> None:
    code, out = _run(
        db_url_text, "demo", "--scale", "0.001", "--yes", "--report", str(tmp_path / "r.html")
    )

    assert code == 0, out
    assert [status for status, _, _ in runs(shop)] == ["complete"]


@pytest.mark.parametrize(
    ("report", "words"),
    [
        ("{tmp}/missing/report.html", "no folder"),
        ("", "needs a name"),
        ("{tmp}", "it is a directory"),
        ("/sys/report.html", "cannot write the report file"),
    ],
)
def test_demo_checks_its_report_path_before_changing_anything(
    shop: Engine, db_url_text: str, tmp_path: Path, report: str, words: str
) -> None:
    before = canonical_digest(shop)

    code, out = _run(
        db_url_text,
        "demo",
        "--scale",
        "0.001",
        "--yes",
        "--report",
        report.replace("{tmp}", str(tmp_path)),
    )

    _one_line_error(code, out, words)
    assert canonical_digest(shop) == before


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--out", "{tmp}/missing/report.html"], "no folder"),
        (["--out", ""], "needs a name"),
        (["--out", "/sys/report.html"], "cannot write the report file"),
        (["--out", "/dev/full"], "No space left on device"),
        (["--out", "{tmp}/r.html", "--png", "/sys/charts"], "cannot write into the chart folder"),
        (["--out", "{tmp}/r.html", "--png", "{tmp}/r.html"], "is a file"),
    ],
)
def test_report_to_an_unwritable_target_is_one_line(
    shop: Engine, db_url_text: str, tmp_path: Path, args: list[str], words: str
) -> None:
    (tmp_path / "r.html").write_text("keep")
    code, out = _run(db_url_text, "report", *[a.replace("{tmp}", str(tmp_path)) for a in args])

    _one_line_error(code, out, words)


def test_generate_refuses_an_end_in_the_future(engine: Engine, db_url_text: str) -> None:
    future = (datetime.now(UTC).date() + timedelta(days=2)).isoformat()

    code, out = _run(db_url_text, "generate", "--scale", "0.001", "--end", future)

    _one_line_error(code, out, f"--end {future} is in the future")
    assert set(data_counts(engine).values()) == {0}
    assert count(engine, "generation_runs") == 0


def test_generate_caps_jobs(engine: Engine, db_url_text: str) -> None:
    code, out = _run(db_url_text, "generate", "--scale", "0.001", "--jobs", "300")

    _one_line_error(code, out, "--jobs 300 is more than 2 per CPU core")
    assert count(engine, "generation_runs") == 0


def test_an_abandoned_running_run_is_failed_by_the_next_generate(
    engine: Engine, db_url_text: str
) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(generation_runs).values(
                seed=1,
                scale_factor="0.001",
                end_date="2025-06-01",
                years=2,
                generator_version="1.0",
                status="running",
                started_at=utcnow(),
            )
        )

    code, out = _run(db_url_text, "generate", "--scale", "0.001", "--end", "2025-06-01")

    assert code == 0, out
    assert [status for status, _, _ in runs(engine)] == ["failed", "complete"]
    assert {r.name: r.passed for r in run_checks(engine)}["generation_complete"]


def test_a_failed_run_followed_by_a_complete_one_passes_the_audit(shop: Engine) -> None:
    with shop.begin() as conn:
        conn.execute(text("update generation_runs set run_id = 7"))
        conn.execute(
            insert(generation_runs).values(
                run_id=3,
                seed=1,
                scale_factor="0.001",
                end_date="2025-06-01",
                years=2,
                generator_version="1.0",
                status="failed",
                started_at=utcnow(),
                finished_at=utcnow(),
            )
        )
    assert {r.name: r.passed for r in run_checks(shop)}["generation_complete"]

    with shop.begin() as conn:
        conn.execute(text("update generation_runs set run_id = 9 where run_id = 3"))
    assert not {r.name: r.passed for r in run_checks(shop)}["generation_complete"]


_HOLD_LOCK = """
import sys, time
from shopdb.config import parse_database_url
from shopdb.datagen.generate import generation_lock
from shopdb.db.engine import make_engine
engine = make_engine(parse_database_url(sys.argv[1]))
with generation_lock(engine):
    print("held", flush=True)
    time.sleep(60)
"""


def _until_the_server_drops_the_dead_session(engine: Engine) -> None:
    """Wait (at most 10 s) until the killed holder's lock is gone.

    The kernel closes a killed process's socket at once, but the server frees the
    session's lock when its thread next reads that socket, a few milliseconds later:
    an in-process retry can come first. A lock that outlives 10 s is a real leak.
    """
    deadline = time.monotonic() + 10
    while True:
        try:
            with generation_lock(engine):
                return
        except Busy:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_a_second_concurrent_generate_is_refused(engine: Engine, db_url_text: str) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, db_url_text], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"

        code, out = _run(db_url_text, "generate", "--scale", "0.001")
        _one_line_error(code, out, "is already running on this database")
        code, out = _run(db_url_text, "generate", "--scale", "0.001", "--reset", "--yes")
        _one_line_error(code, out, "is already running on this database")
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    assert count(engine, "generation_runs") == 0

    _until_the_server_drops_the_dead_session(engine)
    code, out = _run(db_url_text, "generate", "--scale", "0.001")  # the lock died with it
    assert code == 0, out


def test_sigterm_during_generate_cleans_up_like_ctrl_c(engine: Engine, db_url_text: str) -> None:
    env = {**os.environ, "SHOPDB_DATABASE_URL": db_url_text}
    child = subprocess.Popen(
        [str(SHOPDB), "generate", "--scale", "0.05", "--end", "2025-06-01"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while count(engine, "users") == 0 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert child.poll() is None, "generate finished before it could be interrupted"

    child.send_signal(signal.SIGTERM)
    _, err = child.communicate(timeout=120)

    assert child.returncode != 0
    assert "Traceback" not in err
    assert set(data_counts(engine).values()) == {0}
    assert [status for status, _, _ in runs(engine)] == ["failed"]
