"""The channel a request's person talks through (Telegram, the console, the web chat), so that each
process delivers only to its own people (issue 16).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the column; requests stored before it were all made on Telegram."""
    with op.batch_alter_table("handovers") as batch:
        batch.add_column(sa.Column("channel", sa.String(length=16), nullable=True))


def downgrade() -> None:
    """Drop it."""
    with op.batch_alter_table("handovers") as batch:
        batch.drop_column("channel")
