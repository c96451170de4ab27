"""Exit words: each person's quick-exit code word, as a keyed hash only.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the exit_words table."""
    op.create_table(
        "exit_words",
        sa.Column("pseudonym", sa.String(length=64), nullable=False),
        sa.Column("word_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("pseudonym", name="pk_exit_words"),
    )


def downgrade() -> None:
    """Drop the exit_words table."""
    op.drop_table("exit_words")
