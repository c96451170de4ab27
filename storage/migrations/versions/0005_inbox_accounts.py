"""Inbox accounts of the associations, their one-time setup links and recovery codes (issue 13).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _account(name: str) -> sa.Column:
    """The account a row belongs to."""
    return sa.Column(name, sa.Integer(), nullable=False)


def upgrade() -> None:
    """Create the tables of the inbox accounts."""
    op.create_table(
        "inbox_accounts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("association_id", sa.String(length=20), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("login_hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("totp_secret", sa.Text(), nullable=True),
        sa.Column("last_totp_step", sa.BigInteger(), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["association_id"], ["associations.id"], name="fk_inbox_accounts_association_id_associations"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_inbox_accounts"),
        sa.UniqueConstraint("login_hash", name="uq_inbox_accounts_login_hash"),
    )
    op.create_index("ix_inbox_accounts_association_id", "inbox_accounts", ["association_id"])
    op.create_table(
        "inbox_setup_links",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        _account("account_id"),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["inbox_accounts.id"], name="fk_inbox_setup_links_account_id_inbox_accounts"
        ),
        sa.PrimaryKeyConstraint("token_hash", name="pk_inbox_setup_links"),
    )
    op.create_index("ix_inbox_setup_links_account_id", "inbox_setup_links", ["account_id"])
    op.create_table(
        "inbox_recovery_codes",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        _account("account_id"),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["inbox_accounts.id"], name="fk_inbox_recovery_codes_account_id_inbox_accounts"
        ),
        sa.PrimaryKeyConstraint("code_hash", name="pk_inbox_recovery_codes"),
    )
    op.create_index("ix_inbox_recovery_codes_account_id", "inbox_recovery_codes", ["account_id"])


def downgrade() -> None:
    """Drop them, codes and links first."""
    for table in ("inbox_recovery_codes", "inbox_setup_links", "inbox_accounts"):
        op.drop_index(f"ix_{table}_{'association_id' if table == 'inbox_accounts' else 'account_id'}", table)
        op.drop_table(table)
