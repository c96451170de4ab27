"""Follow-up in the association inbox: who holds a request, the next contact, the outcome, the
relayed messages and the notes; notice groups wait for a coordinator's confirmation (issue 13).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _thread_table(name: str, extra: list[sa.Column]) -> None:
    """A table of encrypted texts attached to a request (erased with its personal fields)."""
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("handover_id", sa.Integer(), nullable=False),
        *extra,
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["handover_id"], ["handovers.id"], name=f"fk_{name}_handover_id_handovers"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
    )
    op.create_index(f"ix_{name}_handover_id", name, ["handover_id"])


def upgrade() -> None:
    """Add the follow-up columns, the confirmation of notice groups and the two tables of texts."""
    with op.batch_alter_table("associations") as batch:
        batch.add_column(
            sa.Column("group_confirmed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("handovers") as batch:
        batch.add_column(sa.Column("holder_account_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("next_contact_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("outcome", sa.String(length=24), nullable=True))
    _thread_table("relay_messages", [sa.Column("direction", sa.String(length=12), nullable=False)])
    _thread_table("inbox_notes", [])


def downgrade() -> None:
    """Drop them."""
    for name in ("inbox_notes", "relay_messages"):
        op.drop_index(f"ix_{name}_handover_id", name)
        op.drop_table(name)
    with op.batch_alter_table("handovers") as batch:
        for column in ("outcome", "next_contact_on", "holder_account_id"):
            batch.drop_column(column)
    with op.batch_alter_table("associations") as batch:
        batch.drop_column("group_confirmed")
