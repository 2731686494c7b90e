"""``shopdb lake export``: a database's tables into a lake, in full or incrementally.

Everything is read inside one read-only snapshot (``db.snapshot``). The first export
writes every partition; later exports into the same folder rewrite only the partitions
that changed (``changes``: the versions in the database's change log, or, when the lake
cannot rely on the log, each month's fingerprint), and the small tables only when their
content digest changed. The result is the lake a full export would write (same rows,
same digests), by construction tested.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from typing import Any

import pyarrow as pa
from sqlalchemy import Row, and_, func, or_, select
from sqlalchemy.engine import Connection, Engine

from shopdb.db.admin import require_schema
from shopdb.db.backend import backend_name
from shopdb.db.rows import CHUNK_ROWS, data_columns
from shopdb.db.schema import SCHEMA_VERSION, metadata
from shopdb.db.snapshot import read_snapshot
from shopdb.lake import changes
from shopdb.lake.arrowdata import PartitionWriter, digest_of, lake_schema, months_of, split_by_month
from shopdb.lake.fingerprint import content_fingerprint, fingerprints
from shopdb.lake.layout import (
    LAKE_TABLES,
    LakeTable,
    Manifest,
    Partition,
    TableEntry,
    partition_file,
)
from shopdb.lake.writing import LakeWriting

Progress = Callable[[str, int], None]


@dataclass
class ExportResult:
    """What an export did: partitions rewritten and kept, rows written, seconds taken."""

    manifest: Manifest
    rewritten: list[str] = field(default_factory=list)
    kept: int = 0
    compared: str = changes.FULL
    rows_written: int = 0
    seconds: float = 0.0


def export_lake(
    engine: Engine,
    lake: Path,
    *,
    full: bool = False,
    fingerprints: bool = False,
    progress: Progress | None = None,
) -> ExportResult:
    """Export the database of ``engine`` into the lake folder ``lake``.

    Incremental when ``lake`` already holds a lake exported from the same kind of
    database (unless ``full``); a fresh or empty folder gets a full export. An
    incremental export reads the change log, or compares every month's fingerprint when
    the lake's epoch is not the log's or ``fingerprints`` asks for it (``changes``).
    Before its snapshot the export folds the change log and gives it an epoch, each a
    short transaction of its own that changes no shop data.

    Raises:
        LakeError: ``lake`` holds files but no lake, a lake of another schema
            revision, or another export is writing it. Nothing is changed.
        SchemaError: the database holds no shopdb schema. Nothing is changed.
        ShopError: a file could not be written (the disk is full, say).

    On any failure the lake is left as it was: its manifest and every file it lists
    are untouched; new files written so far are removed.
    """
    started = perf_counter()
    dialect = backend_name(engine)
    with LakeWriting(lake) as writing:
        previous = writing.previous
        if previous is not None and (full or previous.source.get("dialect") != dialect):
            previous = None
        changes.prepare_log(engine)
        with read_snapshot(engine) as conn:
            require_schema(conn)
            log = changes.read_log(conn)
            source = {"kind": "database", "dialect": dialect, "log_epoch": log.epoch}
            result = ExportResult(manifest=writing.new_manifest(source))
            result.compared = changes.comparison(previous, log, fingerprints=fingerprints)
            result.manifest.watermark = _watermark(conn)
            for table in LAKE_TABLES:
                before = previous.tables.get(table.name) if previous is not None else None
                export = _TableExport(conn, table, dialect, log, writing, result, progress)
                result.manifest.tables[table.name] = export.run(before)
        writing.commit(result.manifest)
    result.seconds = perf_counter() - started
    return result


def _watermark(conn: Connection) -> dict[str, Any]:
    """What the snapshot is consistent as of: when it was taken and the largest ids."""
    largest = {}
    for table in LAKE_TABLES:
        key = table.table.c[table.key]
        largest[table.name] = conn.execute(select(func.max(key))).scalar()
    return {
        "snapshot_opened_at": datetime.now(UTC).isoformat(timespec="microseconds"),
        "schema_revision": SCHEMA_VERSION,
        "max_ids": largest,
    }


@dataclass
class _TableExport:
    """One table's part of an export: which partitions to keep, and writing the rest."""

    conn: Connection
    table: LakeTable
    dialect: str
    log: changes.LogState
    writing: LakeWriting
    result: ExportResult
    progress: Progress | None

    def run(self, before: TableEntry | None) -> TableEntry:
        """The table's manifest entry after this export."""
        if not self.table.partitioned:
            return self._whole(before.partitions.get("") if before is not None else None)
        return self._months(before)

    def _months(self, before: TableEntry | None) -> TableEntry:
        table, log = self.table, self.log
        old = before.partitions if before is not None else {}
        every_month = False
        now: dict[str, list[int]] | None = None
        if self.result.compared == changes.LOG:
            touched = changes.logged_months(table, before, log)
        else:
            now = fingerprints(self.conn, table, self.dialect)
            touched = sorted(m for m, fp in now.items() if m not in old or old[m].fingerprint != fp)
            every_month = len(touched) == len(now)
        months = set(old) | log.months(table) if now is None else set(now)
        # the items' carried order columns follow their orders' months, however those
        # were found changed
        carried = _carried_months(table, self.result, self.writing.number) & months
        if carried - set(touched):
            touched = sorted(set(touched) | carried)
            every_month = len(touched) == len(months)
        parts = {m: old[m] for m in sorted(months) if m in old and m not in touched}
        for month, part in parts.items():
            # as of this snapshot: its fingerprint or its version matched
            part.changes = log.version(table, month)
        self.result.kept += len(parts)
        if touched:
            written = _write_months(
                self.conn, table, touched, every_month, self.writing, self.progress
            )
            for month, part in written.items():
                part.fingerprint = now[month] if now is not None else None
                part.changes = log.version(table, month)
                self.result.rewritten.append(part.file)
                self.result.rows_written += part.row_count
            parts.update(written)
        return self.writing.entry(table, parts)

    def _whole(self, kept: Partition | None) -> TableEntry:
        """A table kept whole: kept when the log says it is unchanged, or when its
        content fingerprint (``content_fingerprint``) is the manifest's; else read, and
        kept after all if its digest is, else rewritten."""
        table, writing, version = self.table, self.writing, self.log.version(self.table, "")
        if self.result.compared == changes.LOG and kept is not None and kept.changes == version:
            self.result.kept += 1
            return writing.entry(table, {"": kept})
        now = content_fingerprint(self.conn, table, self.dialect)
        if kept is not None and kept.fingerprint == now:
            kept.changes = version
            self.result.kept += 1
            return writing.entry(table, {"": kept})
        schema = lake_schema(table)
        batches = [_arrow_batch(schema, chunk) for chunk in _read(self.conn, table, None)]
        data = pa.concat_tables(batches) if batches else schema.empty_table()
        digest = digest_of(table, data)
        if kept is not None and kept.digest == digest:
            kept.fingerprint, kept.changes = now, version
            self.result.kept += 1
            return writing.entry(table, {"": kept})
        file = partition_file(table.name, "", writing.number)
        part_writer = writing.open(table, file)
        part_writer.write(data)
        part = writing.close(part_writer, file)
        part.fingerprint, part.changes = now, version
        self.result.rewritten.append(file)
        self.result.rows_written += part.row_count
        if self.progress is not None:
            self.progress(table.name, part.row_count)
        return writing.entry(table, {"": part})


def _carried_months(table: LakeTable, result: ExportResult, number: int) -> set[str]:
    """The months whose carried columns (``LakeTable.carried``) may have changed: those
    of the source table (exported before) that this export rewrote, however it found
    them changed."""
    if table.carried_from is None:
        return set()
    source = result.manifest.tables[table.carried_from].partitions
    name = table.carried_from
    return {m for m, p in source.items() if p.file == partition_file(name, m, number)}


def _write_months(
    conn: Connection,
    table: LakeTable,
    months: list[str],
    every_month: bool,
    writing: LakeWriting,
    progress: Progress | None,
) -> dict[str, Partition]:
    """Write the partitions of ``months``, streaming the table once in key order."""
    schema = lake_schema(table)
    writers: dict[str, PartitionWriter] = {}
    files = {m: partition_file(table.name, m, writing.number) for m in months}
    with closing(_read(conn, table, None if every_month else months)) as chunks:
        for chunk in chunks:
            _route(chunk, schema, files, writers, table, writing)
            if progress is not None:
                progress(table.name, len(chunk))
    return {m: writing.close(writers[m], files[m]) for m in months if m in writers}


def _route(
    chunk: Sequence[Any],
    schema: pa.Schema,
    files: dict[str, str],
    writers: dict[str, PartitionWriter],
    table: LakeTable,
    writing: LakeWriting,
) -> None:
    """Send a chunk's rows to their months' writers, opening writers as months appear."""
    batch = _arrow_batch(schema, chunk, with_month=True)
    month_at = batch.column(batch.num_columns - 1)
    batch = batch.remove_column(batch.num_columns - 1)
    for month, rows in split_by_month(batch, months_of(month_at)).items():
        if month not in writers:
            writers[month] = writing.open(table, files[month])
        writers[month].write(rows)


def _read(
    conn: Connection, table: LakeTable, months: Sequence[str] | None
) -> Generator[Sequence[Row[Any]], None, None]:
    """The table's rows in key order: its columns, the ones it carries from its parent
    (``LakeTable.carried``), and its month's timestamp if partitioned."""
    base = table.table
    columns: list[Any] = list(data_columns(base))
    query = select(*columns)
    if table.month_of is not None:
        parent_name, column_name = table.month_of
        parent = metadata.tables[parent_name]
        month_at = parent.c[column_name]
        carried = [parent.c[c].label(name) for name, c in table.carried]
        query = select(*columns, *carried, month_at.label("lake_month_at"))
        if parent is not base:
            query = query.select_from(base.join(parent, base.c.order_id == parent.c.order_id))
        if months is not None:
            query = query.where(or_(*(_in_month(month_at, m) for m in months)))
    query = query.order_by(base.c[table.key])
    result = conn.execute(query, execution_options={"yield_per": CHUNK_ROWS})
    try:
        yield from result.partitions()
    finally:
        # a server-side cursor left open by an interrupted export would outlive it
        result.close()


def _in_month(column: Any, month: str) -> Any:
    year, number = int(month[:4]), int(month[5:7])
    start = datetime(year, number, 1, tzinfo=UTC)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=UTC)
    return and_(column >= start, column < end)


def _arrow_batch(schema: pa.Schema, chunk: Sequence[Any], *, with_month: bool = False) -> pa.Table:
    columns = list(zip(*chunk, strict=True)) if chunk else [() for _ in range(len(schema) + 1)]
    arrays = [pa.array(v, type=f.type) for f, v in zip(schema, columns, strict=False)]
    names = list(schema.names)
    if with_month:
        arrays.append(pa.array(columns[len(schema)], type=pa.timestamp("us", tz="UTC")))
        names.append("lake_month_at")
    return pa.Table.from_arrays(arrays, names=names)
