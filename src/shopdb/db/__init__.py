"""The database layer: engines per backend, column types, the schema."""
