"""Alembic's environment: migrate the connection ``shopdb.db.migrate`` hands over.

shopdb never reads ``alembic.ini`` or the environment here: the caller opens the
connection (with shopdb's per-backend settings) and passes it in ``config.attributes``.
"""

from __future__ import annotations

from alembic import context

from shopdb.db.backend import backend_of
from shopdb.db.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    # alembic_version is shopdb's own table (it is in the MetaData), not a stray one
    version_table="alembic_version",
    compare_type=True,
    render_as_batch=backend_of(connection).batch_migrations,
)
with context.begin_transaction():
    context.run_migrations()
