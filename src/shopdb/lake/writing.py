"""One export (or generation) writing a lake folder: locked, all or nothing.

``LakeWriting`` takes an exclusive lock on the folder, reads its previous manifest,
hands out partition writers for new files (named with the new export's number), and on
``commit`` replaces the manifest and deletes the files it no longer lists. If the block
ends with an exception, every file the previous manifest does not list is deleted
(whichever process wrote it) and the manifest is not touched, so the lake stays exactly
as it was (``layout`` explains why readers never see a mix).
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from shopdb.db.schema import SCHEMA_VERSION
from shopdb.errors import ShopError
from shopdb.lake.arrowdata import PartitionWriter
from shopdb.lake.layout import (
    LAKE_TABLE_NAMES,
    MANIFEST,
    LakeError,
    LakeTable,
    Manifest,
    Partition,
    TableEntry,
    read_manifest,
    write_manifest,
)

LOCK = ".lake.lock"


class LakeWriting:
    """The context of one write into a lake folder; see the module docstring."""

    def __init__(self, lake: Path) -> None:
        self.lake = lake
        self.previous: Manifest | None = None
        self.number = 1
        self.open_writers: list[PartitionWriter] = []
        self._lock: TextIO | None = None
        self._created: Path | None = None
        self._committed = False
        self._owned = False
        """Locked and checked: from here on, files the previous manifest does not list
        are this write's (or an earlier failed one's) to delete."""

    def __enter__(self) -> LakeWriting:
        self._created = _prepare(self.lake)
        try:
            self._lock = (self.lake / LOCK).open("w")
            try:
                fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise LakeError(
                    f"another export is writing the lake at {str(self.lake)!r}"
                ) from None
            if (self.lake / MANIFEST).exists():
                self.previous = read_manifest(self.lake, check_files=False)
                self.number = self.previous.export_number + 1
            elif any(p.name != LOCK for p in self.lake.iterdir()):
                raise LakeError(
                    f"{str(self.lake)!r} is not a lake and not empty: export into a new folder"
                )
            self._owned = True
        except BaseException:
            self._release(failed=True)
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._release(failed=exc is not None)
        if isinstance(exc, OSError):
            why = exc.strerror or str(exc)
            raise ShopError(f"cannot write the lake at {str(self.lake)!r}: {why}") from exc

    def new_manifest(self, source: dict[str, Any]) -> Manifest:
        """An empty manifest for this write, numbered after the previous one."""
        return Manifest(SCHEMA_VERSION, self.number, source, {}, {})

    def open(self, table: LakeTable, file: str) -> PartitionWriter:
        """A writer for the new partition ``file``, removed again if the write fails."""
        writer = PartitionWriter(table, self.lake / file)
        self.open_writers.append(writer)
        return writer

    def close(self, writer: PartitionWriter, file: str) -> Partition:
        """Finish a partition writer's file."""
        part = writer.close(file)
        self.open_writers.remove(writer)
        return part

    def entry(self, table: LakeTable, parts: dict[str, Partition]) -> TableEntry:
        """A table's manifest entry: its partitions, total rows and combined digest."""
        lines = "".join(f"{k}\t{parts[k].row_count}\t{parts[k].digest}\n" for k in sorted(parts))
        digest = hashlib.sha256(f"{table.name}\n{lines}".encode()).hexdigest()
        return TableEntry(sum(p.row_count for p in parts.values()), digest, parts)

    def commit(self, manifest: Manifest) -> None:
        """Make ``manifest`` the lake's, then delete the files it does not list."""
        write_manifest(self.lake, manifest)
        self._committed = True
        _sweep(self.lake, manifest)

    def _release(self, *, failed: bool) -> None:
        if failed and self._owned and not self._committed:
            for writer in self.open_writers:
                writer.abandon()
            _sweep(self.lake, self.previous)
        if self._lock is not None:
            # the lock file stays: unlinking it would let two writers lock two files
            self._lock.close()
            self._lock = None
        if failed and not self._committed and self._created is not None:
            shutil.rmtree(self._created, ignore_errors=True)


def _sweep(lake: Path, manifest: Manifest | None) -> None:
    """Delete the table files and empty month folders ``manifest`` does not list."""
    listed = {lake / f for f in manifest.files()} if manifest is not None else set()
    for name in LAKE_TABLE_NAMES:
        folder = lake / name
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.parquet")):
            if path not in listed:
                path.unlink(missing_ok=True)
        for sub in [*folder.iterdir(), folder]:
            if sub.is_dir() and not any(sub.iterdir()):
                sub.rmdir()


def _prepare(lake: Path) -> Path | None:
    """Make sure ``lake`` is a folder; return the topmost folder created, if any."""
    if lake.exists():
        if not lake.is_dir():
            raise LakeError(f"lake target {str(lake)!r} is not a folder")
        return None
    missing = lake
    while not missing.parent.exists():
        missing = missing.parent
    try:
        lake.mkdir(parents=True)
    except OSError as exc:
        raise LakeError(f"cannot create the lake folder {str(lake)!r}: {exc.strerror}") from None
    return missing
