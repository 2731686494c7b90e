"""generation_runs.library_versions: the NumPy and Faker versions that shaped a run's rows.

Runs recorded before this revision keep NULL there (their versions are unknown).

Revision ID: 0002t
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002t"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "generation_runs", sa.Column("library_versions", sa.String(length=200), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("generation_runs", "library_versions")
