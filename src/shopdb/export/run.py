"""Validate the target, read one snapshot, write every table, move the files into place."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Connection, Engine

from shopdb.db.admin import require_schema
from shopdb.db.backend import NAMES, backend_name
from shopdb.db.schema import DATA_TABLES, generation_runs
from shopdb.db.snapshot import read_snapshot
from shopdb.errors import InvalidInput, ShopError
from shopdb.export import formats, sql_script

FORMATS = ("csv", "parquet", "sql")
EXPORT_TABLES = (*DATA_TABLES, generation_runs)
"""What an export holds, parents before children (the order a loader needs)."""


@dataclass(frozen=True)
class ExportedFile:
    """One file an export wrote: where it is and how many rows it holds."""

    path: Path
    row_count: int


def export_database(
    engine: Engine,
    fmt: str,
    out_dir: str | Path,
    dialect: str | None = None,
    *,
    force: bool = False,
) -> list[ExportedFile]:
    """Export every table in ``EXPORT_TABLES`` to ``out_dir`` in format ``fmt``.

    ``dialect`` (sql only) chooses the quoting of the script; by default the dialect of
    ``engine``. The rows come from one read-only snapshot; ``out_dir`` is created if
    missing. Existing files of the same names are replaced only with ``force``.
    Staging folders left by an export that was killed are removed.

    Raises:
        InvalidInput: unknown format or dialect, an empty ``out_dir``, one that is not
            a writable directory, or one already holding files of the export's names
            (without ``force``). Nothing is written.
        SchemaError: the database holds no shopdb schema. Nothing is written.
        ShopError: a file could not be written (say, the disk is full).

    On any failure the files written so far, and any directory this call created,
    are removed.
    """
    dialect = _check_options(engine, fmt, dialect)
    if not str(out_dir).strip():
        raise InvalidInput("the export needs an output folder, got an empty path")
    out_dir = Path(out_dir)
    if not force:
        _refuse_overwrite(out_dir, _file_names(fmt, dialect))
    created = _prepare_dir(out_dir)
    try:
        _remove_stale_staging(out_dir)
        staging = _staging_dir(out_dir)
        try:
            with read_snapshot(engine) as conn:
                require_schema(conn)
                written = _write(conn, fmt, staging, dialect)
            moved = [_move(f, out_dir) for f in written]
        except OSError as exc:
            raise ShopError(f"cannot write the export to {str(out_dir)!r}: {_why(exc)}") from exc
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        if created is not None:
            shutil.rmtree(created, ignore_errors=True)
        raise
    return moved


def _check_options(engine: Engine, fmt: str, dialect: str | None) -> str:
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    if dialect is not None and fmt != "sql":
        raise InvalidInput("a dialect applies only to the sql format")
    if dialect is None:
        return backend_name(engine)
    if dialect not in NAMES:
        raise InvalidInput(f"unknown dialect {dialect!r}: use one of {', '.join(NAMES)}")
    return dialect


def _prepare_dir(out_dir: Path) -> Path | None:
    """Make sure ``out_dir`` is a directory; return the topmost folder created, if any."""
    if out_dir.exists():
        if not out_dir.is_dir():
            raise InvalidInput(f"export target {str(out_dir)!r} is not a directory")
        return None
    missing = out_dir
    while not missing.parent.exists():
        missing = missing.parent
    try:
        out_dir.mkdir(parents=True)
    except OSError as exc:
        raise InvalidInput(
            f"cannot create export directory {str(out_dir)!r}: {_why(exc)}"
        ) from None
    return missing


def _file_names(fmt: str, dialect: str) -> list[str]:
    if fmt == "sql":
        return [f"shopdb.{dialect}.sql"]
    return [f"{t.name}.{fmt}" for t in EXPORT_TABLES]


def _refuse_overwrite(out_dir: Path, names: list[str]) -> None:
    taken = [name for name in names if (out_dir / name).exists()]
    if taken:
        more = f" and {len(taken) - 2} more" if len(taken) > 2 else ""
        raise InvalidInput(
            f"{str(out_dir)!r} already holds {', '.join(taken[:2])}{more}: force replaces them"
        )


_STAGING = ".shopdb-export-"


def _remove_stale_staging(out_dir: Path) -> None:
    """Remove staging folders whose export process is gone (killed before clean-up)."""
    for folder in out_dir.glob(f"{_STAGING}*"):
        pid = folder.name.removeprefix(_STAGING).split("-", 1)[0]
        if folder.is_dir() and not (pid.isdigit() and _alive(int(pid))):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _staging_dir(out_dir: Path) -> Path:
    try:
        # the pid in the name lets a later export tell a live staging folder from debris
        return Path(tempfile.mkdtemp(prefix=f"{_STAGING}{os.getpid()}-", dir=out_dir))
    except OSError as exc:
        raise InvalidInput(
            f"cannot write to export directory {str(out_dir)!r}: {_why(exc)}"
        ) from None


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _write(conn: Connection, fmt: str, staging: Path, dialect: str) -> list[ExportedFile]:
    if fmt == "sql":
        path = staging / f"shopdb.{dialect}.sql"
        count = sql_script.write_script(conn, EXPORT_TABLES, path, dialect)
        return [ExportedFile(path, count)]
    write = formats.write_csv if fmt == "csv" else formats.write_parquet
    return [
        ExportedFile(staging / f"{t.name}.{fmt}", write(conn, t, staging / f"{t.name}.{fmt}"))
        for t in EXPORT_TABLES
    ]


def _move(exported: ExportedFile, out_dir: Path) -> ExportedFile:
    target = out_dir / exported.path.name
    exported.path.replace(target)
    return ExportedFile(target, exported.row_count)
