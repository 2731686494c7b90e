"""What a lake is on disk: its tables, how each is partitioned, and its manifest.

A lake is a folder::

    manifest.json
    users/part-000001.parquet
    orders/month=2025-11/part-000003.parquet
    order_items/month=2025-11/part-000003.parquet
    ...

The large tables are partitioned by month in the hive layout: ``orders`` by its own
``created_at``, its child tables (items, payments, status history, shipments) by their
order's month, so everything one order touches lives in one month's partitions, and
``inventory_movements`` by its own ``created_at``. The small tables are one file each.

``order_items`` carries two derived columns after the table's own: its order's status
and creation time (``order_status``, ``order_created_at``), so the queries that scan
items need no join to ``orders`` on the lake (``LakeTable.carried``; the queries name
them through ``{order_items_with_order(alias)}``, ``queries/fragments.py``). Both writers put
them there (``export``, ``generate --to-lake``), and a month of items is rewritten
whenever its orders' month is.

Every file name carries the number of the export that wrote it, and ``manifest.json``
lists the files that make up the lake. The manifest is replaced (atomically, by rename)
only after every new file is in place, and the files it no longer lists are deleted
after that; so a reader that goes by the manifest always sees one complete export, and
an export that dies half-way leaves the previous manifest and all its files untouched.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Table

from shopdb.db.schema import SCHEMA_VERSION, generation_runs, metadata
from shopdb.errors import ShopError
from shopdb.queries.fragments import ITEM_ORDER_COLUMNS

MANIFEST = "manifest.json"
FORMAT = "shopdb-lake"
FORMAT_VERSION = 2
"""2: ``order_items`` carries its order's status and time (``LakeTable.carried``)."""


class LakeError(ShopError):
    """A folder is not a usable lake: not one, another revision, or a damaged file."""


@dataclass(frozen=True)
class LakeTable:
    """One table of the lake and how its rows are split into partitions.

    Attributes:
        name: the schema table.
        month_of: ``None`` for a table kept whole; otherwise the ``(table, column)``
            whose UTC month names a row's partition: ``("orders", "created_at")`` for
            orders and their children, the row's own column for stock movements.
        carried: derived columns, after the table's own: ``(name, column)`` pairs, each
            a column of the ``month_of`` table copied onto every row from the row it
            points to through ``order_id``. They follow that row, so a month of this
            table is rewritten whenever that table's month is.
    """

    name: str
    month_of: tuple[str, str] | None = None
    carried: tuple[tuple[str, str], ...] = ()

    @property
    def table(self) -> Table:
        """The schema's ``Table``."""
        return metadata.tables[self.name]

    @property
    def partitioned(self) -> bool:
        """Whether the table is split by month."""
        return self.month_of is not None

    @property
    def key(self) -> str:
        """The primary key's single column (every lake table has one)."""
        (column,) = self.table.primary_key.columns
        return column.name

    @property
    def carried_from(self) -> str | None:
        """The table the carried columns come from, if any."""
        return self.month_of[0] if self.carried and self.month_of is not None else None


_ORDER_MONTH = ("orders", "created_at")

LAKE_TABLES = (
    LakeTable("users"),
    LakeTable("categories"),
    LakeTable("products"),
    LakeTable("inventory"),
    LakeTable("orders", _ORDER_MONTH),
    LakeTable(
        "order_items",
        _ORDER_MONTH,
        carried=ITEM_ORDER_COLUMNS,
    ),
    LakeTable("payments", _ORDER_MONTH),
    LakeTable("order_status_history", _ORDER_MONTH),
    LakeTable("shipments", _ORDER_MONTH),
    LakeTable("inventory_movements", ("inventory_movements", "created_at")),
    LakeTable(generation_runs.name),
)
"""Every table a lake holds, parents first."""

LAKE_TABLE_NAMES = tuple(t.name for t in LAKE_TABLES)


@dataclass
class Partition:
    """One file of the lake: its path in the lake, rows, content digest and fingerprint.

    ``digest`` is the SHA-256 of the rows in primary-key order (see ``arrowdata``);
    ``fingerprint`` is what the source database said about the same rows (see
    ``fingerprint``; ``None`` when the partition was written after a look at the change
    log only), and ``changes`` the partition's version in the database's change log
    (``db.lake_log``): either is compared by the next export to find what changed.
    """

    file: str
    row_count: int
    digest: str
    fingerprint: list[int] | None = None
    changes: int | None = None


@dataclass
class TableEntry:
    """A table in the manifest: its partitions by month (``""`` for a whole table)."""

    row_count: int
    digest: str
    partitions: dict[str, Partition] = field(default_factory=dict)


@dataclass
class Manifest:
    """What ``manifest.json`` holds."""

    schema_revision: str
    export_number: int
    source: dict[str, Any]
    watermark: dict[str, Any]
    tables: dict[str, TableEntry]

    def files(self) -> list[str]:
        """Every file the lake is made of, relative to its folder."""
        return [p.file for t in self.tables.values() for p in t.partitions.values()]

    def table_files(self, name: str, lake: Path) -> list[Path]:
        """The absolute paths of table ``name``'s files, by month."""
        entry = self.tables[name]
        return [lake / entry.partitions[k].file for k in sorted(entry.partitions)]


def partition_file(table: str, month: str, export_number: int) -> str:
    """The path, inside the lake, of a partition written by export ``export_number``."""
    folder = f"{table}/month={month}" if month else table
    return f"{folder}/part-{export_number:06d}.parquet"


def read_manifest(lake: Path, *, check_files: bool = True) -> Manifest:
    """Read and check a lake's manifest.

    Raises:
        LakeError: ``lake`` is not a folder holding a shopdb lake, the lake was written
            for another schema revision or in another lake format, or (with
            ``check_files``) a file it lists is missing.
    """
    path = lake / MANIFEST
    if not lake.is_dir():
        raise LakeError(f"{str(lake)!r} is not a lake: no such folder")
    if not path.is_file():
        raise LakeError(f"{str(lake)!r} is not a lake: it has no {MANIFEST}")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        older = raw.get("format") == FORMAT and raw.get("format_version") != FORMAT_VERSION
        manifest = None if older else _from_json(raw)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise LakeError(f"{str(path)!r} is not a shopdb lake manifest: {exc}") from None
    if manifest is None:
        raise LakeError(
            f"the lake at {str(lake)!r} is in lake format {raw.get('format_version')}, "
            f"this shopdb reads format {FORMAT_VERSION}: export or generate it into a new folder"
        )
    if manifest.schema_revision != SCHEMA_VERSION:
        raise LakeError(
            f"the lake at {str(lake)!r} was written for schema revision "
            f"{manifest.schema_revision}, this shopdb reads revision {SCHEMA_VERSION}"
        )
    if check_files:
        for name in manifest.files():
            if not (lake / name).is_file():
                raise LakeError(f"the lake at {str(lake)!r} is missing its file {name}")
    return manifest


def _from_json(raw: dict[str, Any]) -> Manifest:
    if raw.get("format") != FORMAT or raw.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"format is not {FORMAT} version {FORMAT_VERSION}")
    tables = {}
    for name, entry in raw["tables"].items():
        parts = {k: Partition(**p) for k, p in entry["partitions"].items()}
        tables[name] = TableEntry(entry["row_count"], entry["digest"], parts)
    missing = [n for n in LAKE_TABLE_NAMES if n not in tables]
    if missing:
        raise ValueError(f"it lists no table {missing[0]}")
    return Manifest(
        str(raw["schema_revision"]),
        int(raw["export_number"]),
        dict(raw["source"]),
        dict(raw["watermark"]),
        tables,
    )


def write_manifest(lake: Path, manifest: Manifest) -> None:
    """Replace ``manifest.json`` atomically: a reader sees the old one or the new one.

    The new text is written to a temporary file, flushed to disk, and renamed over the
    old one; if anything fails before the rename, the old manifest stays.
    """
    body = {"format": FORMAT, "format_version": FORMAT_VERSION, **asdict(manifest)}
    temporary = lake / f".{MANIFEST}.{os.getpid()}.tmp"
    with temporary.open("w", encoding="utf-8") as out:
        json.dump(body, out, indent=1, sort_keys=True)
        out.write("\n")
        out.flush()
        os.fsync(out.fileno())
    temporary.replace(lake / MANIFEST)
