"""Apache Spark SQL over a lake, through PySpark: ``local[*]`` or any cluster's master URL.

PySpark brings its own jars; Java comes from the system. In local mode the driver is
bound to 127.0.0.1, its memory is small, the UI is off, and its scratch and warehouse
folders are in the ``work_dir`` given (a test's temporary folder). One SparkSession
lives per process: ``spark_session`` makes it once, and each ``SparkLake`` registers the
lake's tables as temporary views on it, each view reading the files the manifest lists.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shopdb.lake.layout import LakeError
from shopdb.lake.reading import OpenLake, empty_select, engine_columns, open_lake

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

DEFAULT_MASTER = "local[*]"

QUICK_JVM = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
"""JVM options for many short queries on small data: the JIT's quick tier only (its
optimizing tier costs more CPU than it saves on queries of a second; half the CPU of the
catalogue on a test lake) and the single-threaded collector."""


def require_java(environ: Mapping[str, str]) -> str:
    """The ``java`` command Spark will start, from ``JAVA_HOME`` or the ``PATH``.

    Raises:
        LakeError: no Java runtime is installed.
    """
    home = environ.get("JAVA_HOME")
    if home and Path(home, "bin", "java").is_file():
        return str(Path(home, "bin", "java"))
    found = shutil.which("java", path=environ.get("PATH"))
    if found is None:
        raise LakeError(
            "Spark needs Java and none is installed: install a Java runtime "
            "(Debian: apt-get install default-jre-headless) or set JAVA_HOME"
        )
    return found


def spark_session(
    work_dir: Path,
    *,
    master: str = DEFAULT_MASTER,
    memory: str = "1g",
    environ: Mapping[str, str] | None = None,
    jvm_options: Sequence[str] = (),
) -> SparkSession:
    """The process's SparkSession, made on first call with shopdb's settings.

    ``jvm_options`` go to the driver's JVM as it starts, after shopdb's own (a test run
    on a tiny lake passes ``QUICK_JVM``).

    Raises:
        LakeError: Java or PySpark is missing, or Spark did not start.
    """
    require_java(os.environ if environ is None else environ)
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise LakeError("PySpark is not installed: install shopdb with its spark extra") from None
    work_dir.mkdir(parents=True, exist_ok=True)
    builder = (
        SparkSession.builder.master(master)
        .appName("shopdb-lake")
        .config("spark.driver.memory", memory)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.ansi.enabled", "true")
        .config("spark.local.dir", str(work_dir / "scratch"))
        .config("spark.sql.warehouse.dir", str(work_dir / "warehouse"))
        .config(
            "spark.driver.extraJavaOptions",
            " ".join((f"-Djava.io.tmpdir={work_dir / 'scratch'}", *jvm_options)),
        )
        .config("spark.ui.showConsoleProgress", "false")
        # the lake's tables are small next to what Spark's defaults are sized for: few
        # shuffle partitions (adaptive execution coalesces them further), small tables
        # broadcast rather than shuffled, and the manifest's file list (hundreds of
        # files) checked on the driver instead of by a listing job per table
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.sql.autoBroadcastJoinThreshold", str(64 * 1024 * 1024))
        .config("spark.sql.sources.parallelPartitionDiscovery.threshold", "100000")
    )
    if master.startswith("local"):
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1"
        )
    try:
        session = builder.getOrCreate()
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LakeError(f"Spark did not start: {first}") from None
    session.sparkContext.setLogLevel("ERROR")
    return session


def spark_schema(table_name: str) -> str:
    """The lake table's columns as a Spark DDL schema (``order_id bigint, ...``)."""
    return ", ".join(f"`{name}` {kind}" for name, kind in engine_columns(table_name, "spark"))


class SparkLake:
    """The lake's tables as temporary views of a SparkSession.

    With ``cache`` the tables are kept in Spark's memory (spilling to disk) once read.

    Raises (when made):
        LakeError: ``folder`` is not a readable lake (see ``reading.open_lake``).
    """

    dialect = "spark"

    def __init__(self, session: SparkSession, folder: Path, *, cache: bool = False) -> None:
        self.session = session
        self.lake: OpenLake = open_lake(folder)
        for name, files in self.lake.files.items():
            if files:
                # the schema is the lake's, so Spark need not read footers to infer it
                reader = session.read.schema(spark_schema(name))
                frame = reader.parquet(*(str(f) for f in files))
            else:
                frame = session.sql(empty_select(name, self.dialect))
            if cache:
                # a query reads some tables several times (a CTE used twice, scalar
                # subqueries, the category tree's recursive steps): from memory each
                # read is fast, from Parquet each is a job
                frame = frame.cache()
            frame.createOrReplaceTempView(name)

    def fetch(
        self, sql: str, values: Mapping[str, Any], timestamps: Sequence[str] = ()
    ) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
        """Run ``sql`` (``:name`` binds) with ``values``; timestamps come back aware UTC.

        PySpark would turn timestamps into naive datetimes in the Python process's
        local time, so they are fetched as microseconds since 1970 instead.

        Raises:
            LakeError: Spark could not read a file or run the statement.
        """
        from datetime import UTC, datetime, timedelta

        from pyspark.errors import PySparkException
        from pyspark.sql import functions

        try:
            frame = self.session.sql(sql, args=dict(values))
            columns = tuple(frame.columns)
            if timestamps:
                frame = frame.select(
                    *(
                        functions.unix_micros(frame[c]).alias(c) if c in timestamps else frame[c]
                        for c in columns
                    )
                )
            rows = frame.collect()
        except (PySparkException, Exception) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise LakeError(f"Spark cannot run the query: {first}") from None
        epoch = datetime(1970, 1, 1, tzinfo=UTC)
        out = []
        for row in rows:
            values_out = list(row)
            for i, c in enumerate(columns):
                if c in timestamps and values_out[i] is not None:
                    values_out[i] = epoch + timedelta(microseconds=values_out[i])
            out.append(tuple(values_out))
        return columns, out
