"""The Parquet lake: a columnar copy of the shop, and the engines that query it.

- ``export.export_lake(engine, folder)``: every table as Parquet, the large ones
  partitioned by month, with a manifest; incremental when run again.
- ``generate.generate_lake(params, folder)``: a generated shop straight into a lake.
- ``duck.DuckLake`` / ``spark.SparkLake`` with ``reading.run_lake_query``: the
  catalogue's queries (and, in DuckDB, ad hoc SELECTs) over a lake.
- ``verify.lake_checksums(folder)``: a lake's checksums in ``shopdb checksum``'s form.

``docs/scale.md`` explains the layout, the incremental design and the figures.
"""
