"""Inbox sessions and the inbox access log (issue 13).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the session and access-log tables."""
    op.create_table(
        "inbox_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("csrf_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["inbox_accounts.id"], name="fk_inbox_sessions_account_id_inbox_accounts"
        ),
        sa.PrimaryKeyConstraint("token_hash", name="pk_inbox_sessions"),
    )
    op.create_index("ix_inbox_sessions_account_id", "inbox_sessions", ["account_id"])
    op.create_table(
        "inbox_access_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("association_id", sa.String(length=20), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_inbox_access_log"),
    )
    op.create_index("ix_inbox_access_log_association_id", "inbox_access_log", ["association_id"])


def downgrade() -> None:
    """Drop them."""
    op.drop_index("ix_inbox_access_log_association_id", "inbox_access_log")
    op.drop_table("inbox_access_log")
    op.drop_index("ix_inbox_sessions_account_id", "inbox_sessions")
    op.drop_table("inbox_sessions")
