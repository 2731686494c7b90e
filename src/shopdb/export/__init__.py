"""``shopdb export``: every data table (and ``generation_runs``) as files, streamed.

Formats: ``csv`` (one file per table, a header row), ``parquet`` (one file per table,
typed columns) and ``sql`` (one INSERT script for a chosen dialect, parents first).
Files are written into a hidden folder inside the target directory and moved into
place only when every table is written, so a failure leaves nothing behind.
"""

from __future__ import annotations

from shopdb.export.run import EXPORT_TABLES, FORMATS, ExportedFile, export_database

__all__ = ["EXPORT_TABLES", "FORMATS", "ExportedFile", "export_database"]
