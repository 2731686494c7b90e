"""Alembic migrations of the shopdb schema (``shopdb.db.migrate`` runs them)."""
