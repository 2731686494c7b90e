"""Which partitions an incremental export rewrites: from the change log, or fingerprints.

Two ways to find what changed since the lake's last export, both inside the export's
snapshot:

- **The change log** (``db.lake_log``): each partition's version (how many committed
  write transactions touched it) against the version the manifest recorded for it. Only
  the log's rows are read, so it costs the same however large the shop is. Used when the
  previous export recorded the same log epoch, i.e. it was exported from this database
  and no bulk load has written around the services since.
- **Fingerprints** (``fingerprint``): every month of every partitioned table computed by
  the database and compared with the manifest's; a scan of every row. Used otherwise
  (a lake exported before the log existed, from another database, after ``generate``),
  and on request (``--fingerprints``: it also finds rows written by hand).

Either way every partition the new manifest lists records the version it holds, so the
export after a fingerprint comparison can use the log.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Connection, Engine

from shopdb.db import lake_log
from shopdb.db.admin import require_schema
from shopdb.lake.fingerprint import month_label
from shopdb.lake.layout import LakeTable, Manifest, TableEntry
from shopdb.rollups.build import fold_lake_log
from shopdb.services._tx import run_in_transaction

LOG = "log"
FINGERPRINTS = "fingerprints"
FULL = "full"


@dataclass(frozen=True)
class LogState:
    """The change log as the export's snapshot sees it."""

    epoch: int | None
    versions: dict[tuple[str, int], int]

    def version(self, table: LakeTable, month: str) -> int:
        """The version of ``table``'s partition ``month`` (``""``: a table kept whole)."""
        index = lake_log.WHOLE if month == "" else month_key(month)
        return self.versions.get((table.name, index), 0)

    def months(self, table: LakeTable) -> set[str]:
        """The months of ``table`` any logged write touched."""
        return {month_label(m) for (t, m) in self.versions if t == table.name and m >= 0}


def prepare_log(engine: Engine) -> None:
    """Before the snapshot: fold the log (so the snapshot reads few pending rows) and
    give it an epoch if it has none. Each is its own short transaction.

    Raises:
        SchemaError: the database holds no complete shopdb schema; nothing is written.
    """
    with engine.connect() as conn:
        require_schema(conn)
    fold_lake_log(engine)
    run_in_transaction(engine, lake_log.draw_epoch)


def read_log(conn: Connection) -> LogState:
    """The log's epoch and every partition's version, in ``conn``'s snapshot."""
    return LogState(lake_log.epoch(conn), lake_log.versions(conn))


def comparison(previous: Manifest | None, log: LogState, *, fingerprints: bool) -> str:
    """How to find what changed: ``FULL`` (no usable previous lake), ``LOG`` or
    ``FINGERPRINTS``."""
    if previous is None:
        return FULL
    if fingerprints or log.epoch is None or previous.source.get("log_epoch") != log.epoch:
        return FINGERPRINTS
    return LOG


def logged_months(table: LakeTable, before: TableEntry | None, log: LogState) -> list[str]:
    """The months of ``table`` whose version differs from the one their partition holds
    (months new to the lake included): what the log says to rewrite."""
    old = before.partitions if before is not None else {}
    months = set(old) | log.months(table)
    return sorted(m for m in months if m not in old or old[m].changes != log.version(table, m))


def month_key(label: str) -> int:
    """``YYYY-MM`` as ``year * 12 + month - 1``."""
    return int(label[:4]) * 12 + int(label[5:7]) - 1
