"""``shopdb export`` against hostile use: an empty --out, files already there, debris of a
killed export, and SIGTERM part-way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy.engine import Engine

from shopdb.cli import cli
from shopdb.config import parse_database_url
from shopdb.datagen.generate import generate
from shopdb.datagen.params import make_params
from shopdb.db.engine import make_engine

SHOPDB = Path(sys.executable).parent / "shopdb"


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _export(engine: Engine, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", _url(engine), "export", "--format", "csv", *args])
    return result.exit_code, result.output


def test_an_empty_out_is_refused_and_writes_nothing(
    shop_engine: Engine, tmp_path: Path, monkeypatch: object
) -> None:
    os.chdir(tmp_path)

    code, out = _export(shop_engine, "--out", "")

    assert code == 1
    assert out == "Error: the export needs an output folder, got an empty path\n"
    assert list(tmp_path.iterdir()) == []


def test_existing_files_are_kept_unless_forced(shop_engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "users.csv").write_text("mine")

    code, out = _export(shop_engine, "--out", str(tmp_path))

    assert code == 1
    assert "already holds users.csv: pass --force to replace them" in out
    assert out.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["users.csv"]
    assert (tmp_path / "users.csv").read_text() == "mine"

    code, out = _export(shop_engine, "--out", str(tmp_path), "--force")

    assert code == 0, out
    assert (tmp_path / "users.csv").read_text().startswith("user_id,")


def test_a_killed_exports_staging_folder_is_removed_by_the_next(
    shop_engine: Engine, tmp_path: Path
) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    debris = tmp_path / f".shopdb-export-{dead.pid}-x1y2"
    debris.mkdir()
    (debris / "orders.csv").write_text("order_id\n1\n")
    live = tmp_path / f".shopdb-export-{os.getpid()}-live"
    live.mkdir()

    code, out = _export(shop_engine, "--out", str(tmp_path))

    assert code == 0, out
    assert not debris.exists()
    assert live.exists()  # a running export's folder is left alone


def test_sigterm_during_export_leaves_no_staging_folder(tmp_path: Path) -> None:
    db = tmp_path / "big.sqlite3"
    url = f"sqlite:///{db}"
    assert CliRunner().invoke(cli, ["--db", url, "init"]).exit_code == 0
    engine = make_engine(parse_database_url(url))
    try:
        generate(engine, make_params(3, 0.02, __import__("datetime").date(2025, 6, 1), 2))
    finally:
        engine.dispose()
    out = tmp_path / "out"
    out.mkdir()
    child = subprocess.Popen(
        [str(SHOPDB), "--db", url, "export", "--format", "csv", "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while (
        not any(out.glob(".shopdb-export-*/*.csv"))
        and child.poll() is None
        and time.monotonic() < deadline
    ):
        time.sleep(0.005)
    assert child.poll() is None, "the export finished before it could be interrupted"

    child.send_signal(signal.SIGTERM)
    _, err = child.communicate(timeout=60)

    assert child.returncode != 0
    assert "Traceback" not in err
    assert list(out.iterdir()) == []
