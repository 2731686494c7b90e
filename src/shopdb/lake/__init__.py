"""The Parquet lake: a columnar copy of the shop, and the engines that query it.

- ``export_lake(engine, folder)``: every table as Parquet, the large ones partitioned by
  month, with a manifest; incremental when run again (``export``).
- ``generate_lake(params, folder)``: a generated shop straight into a lake (``generate``).
- ``DuckLake`` / ``SparkLake``: the catalogue's queries and ad hoc SQL over a lake, in
  DuckDB in-process or in Apache Spark (``duck``, ``spark``).
"""
