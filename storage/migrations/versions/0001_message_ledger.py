"""Message ledger: Telegram message ids per pseudonym, with an encrypted chat reference.

Revision ID: 0001
Revises:
Create Date: 2025-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the message_ledger table and its indexes."""
    op.create_table(
        "message_ledger",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pseudonym", sa.String(length=64), nullable=False),
        sa.Column("chat_ref", sa.Text(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delete_after", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_message_ledger"),
        sa.UniqueConstraint("pseudonym", "message_id", name="uq_message_ledger_pseudonym_message_id"),
    )
    op.create_index("ix_message_ledger_pseudonym", "message_ledger", ["pseudonym"])
    op.create_index("ix_message_ledger_delete_after", "message_ledger", ["delete_after"])


def downgrade() -> None:
    """Drop the message_ledger table and its indexes."""
    op.drop_index("ix_message_ledger_delete_after", table_name="message_ledger")
    op.drop_index("ix_message_ledger_pseudonym", table_name="message_ledger")
    op.drop_table("message_ledger")
