"""Revision 0002t adds ``generation_runs.library_versions``: a run recorded before it keeps
its row with NULL there (its library versions are unknown), and downgrading removes it."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from shopdb.db import migrate

T0 = datetime(2025, 3, 1, 10, tzinfo=UTC)


def _columns(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [c["name"] for c in inspect(conn).get_columns("generation_runs")]


def test_upgrade_keeps_old_runs_with_unknown_versions_and_downgrade_drops_the_column(
    empty_engine: Engine,
) -> None:
    migrate.upgrade(empty_engine, "0003")
    with empty_engine.begin() as conn:
        conn.execute(
            text(
                "insert into generation_runs (run_id, seed, scale_factor, end_date, years, "
                "generator_version, status, started_at, finished_at) values "
                "(1, 42, '0.01', '2025-03-01', 3, '1.0', 'complete', :at, :at)"
            ),
            {"at": T0},
        )
    assert "library_versions" not in _columns(empty_engine)

    migrate.upgrade(empty_engine, "0002t")

    with empty_engine.connect() as conn:
        rows = conn.execute(text("select run_id, library_versions from generation_runs")).all()
    assert [tuple(r) for r in rows] == [(1, None)]
    with empty_engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0003")
    assert "library_versions" not in _columns(empty_engine)
