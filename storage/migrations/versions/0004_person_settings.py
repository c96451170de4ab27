"""Person settings (the code word as a keyed hash, the auto-erase delay) and the ledger's channel.

The code words of `exit_words` move here; the auto-erase delay used to live only in the
engine's conversation state, where the bot's own screens could not see it. Ledger rows name
their channel, so that the auto-erase sweeper deletes each message where it was shown.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create person_settings, move the code words into it, drop exit_words; name ledger channels."""
    op.create_table(
        "person_settings",
        sa.Column("pseudonym", sa.String(length=64), nullable=False),
        sa.Column("code_word_hash", sa.String(length=64), nullable=True),
        sa.Column("auto_erase_seconds", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("pseudonym", name="pk_person_settings"),
    )
    op.execute(
        "INSERT INTO person_settings (pseudonym, code_word_hash, auto_erase_seconds, updated_at) "
        "SELECT pseudonym, word_hash, NULL, CURRENT_TIMESTAMP FROM exit_words"
    )
    op.drop_table("exit_words")
    with op.batch_alter_table("message_ledger") as batch:
        batch.add_column(
            sa.Column("channel", sa.String(length=16), nullable=False, server_default="telegram")
        )


def downgrade() -> None:
    """Put the code words back into exit_words; the auto-erase delays and channels are lost."""
    with op.batch_alter_table("message_ledger") as batch:
        batch.drop_column("channel")
    op.create_table(
        "exit_words",
        sa.Column("pseudonym", sa.String(length=64), nullable=False),
        sa.Column("word_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("pseudonym", name="pk_exit_words"),
    )
    op.execute(
        "INSERT INTO exit_words (pseudonym, word_hash) "
        "SELECT pseudonym, code_word_hash FROM person_settings WHERE code_word_hash IS NOT NULL"
    )
    op.drop_table("person_settings")
