"""Conversation state that survives a restart, and an owner on each outbox claim (issue 17).

- `conversation_state`: one row per conversation, the engine's state encrypted as one blob, with
  the time it was saved (idle expiry). A quick exit deletes the row.
- `outbox.claimed_by`: the sender that holds a claim's lease, so that only it may record the
  outcome, and a second sender cannot deliver the same message twice (audit M12).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the table and the column."""
    op.create_table(
        "conversation_state",
        sa.Column("conversation", sa.String(length=128), primary_key=True),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_conversation_state_saved_at", "conversation_state", ["saved_at"])
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(length=40), nullable=True))


def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("claimed_by")
    op.drop_index("ix_conversation_state_saved_at", "conversation_state")
    op.drop_table("conversation_state")
