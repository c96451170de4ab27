"""Handovers: the live directory, enrolment codes, requests, their outbox and the audit log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    """A timezone-aware timestamp column."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Create the handover tables and their indexes."""
    op.create_table(
        "associations",
        sa.Column("id", sa.String(length=20), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("group_chat_id", sa.BigInteger(), nullable=True),
        _when("enrolled_at"),
        _when("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_associations"),
        sa.UniqueConstraint("group_chat_id", name="uq_associations_group_chat_id"),
    )
    op.create_table(
        "enrollment_codes",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("association_id", sa.String(length=20), nullable=False),
        _when("expires_at", nullable=False),
        _when("used_at"),
        sa.ForeignKeyConstraint(
            ["association_id"], ["associations.id"], name="fk_enrollment_codes_association_id_associations"
        ),
        sa.PrimaryKeyConstraint("code_hash", name="pk_enrollment_codes"),
    )
    _create_handovers()
    _create_outbox()
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _when("at", nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("association_id", sa.String(length=20), nullable=True),
        sa.Column("handover_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_handover_id", "audit_log", ["handover_id"])


def _create_handovers() -> None:
    """The requests: routing fields in clear, personal fields encrypted."""
    op.create_table(
        "handovers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=12), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("pseudonym", sa.String(length=64), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("departement", sa.String(length=3), nullable=True),
        sa.Column("form", sa.String(length=16), nullable=True),
        sa.Column("minor", sa.Boolean(), nullable=False),
        sa.Column("needs", sa.Text(), nullable=False),
        sa.Column("association_id", sa.String(length=20), nullable=True),
        sa.Column("tried", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _when("answer_due_at"),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("safe_times", sa.String(length=16), nullable=False),
        sa.Column("personal", sa.Text(), nullable=True),
        sa.Column("chat_ref", sa.Text(), nullable=True),
        _when("reply_open_until"),
        _when("created_at", nullable=False),
        _when("updated_at", nullable=False),
        _when("closed_at"),
        _when("erased_at"),
        sa.ForeignKeyConstraint(
            ["association_id"], ["associations.id"], name="fk_handovers_association_id_associations"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_handovers"),
        sa.UniqueConstraint("reference", name="uq_handovers_reference"),
        sa.UniqueConstraint("idempotency_key", name="uq_handovers_idempotency_key"),
    )
    for column in ("pseudonym", "status", "answer_due_at", "closed_at"):
        op.create_index(f"ix_handovers_{column}", "handovers", [column])


def _create_outbox() -> None:
    """Messages to deliver, written in the same transaction as the change that causes them."""
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("handover_id", sa.Integer(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("target", sa.String(length=8), nullable=False),
        sa.Column("association_id", sa.String(length=20), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _when("not_before"),
        _when("created_at", nullable=False),
        _when("sent_at"),
        sa.Column("sent_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("sent_message_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["handover_id"], ["handovers.id"], name="fk_outbox_handover_id_handovers"),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("dedupe_key", name="uq_outbox_dedupe_key"),
    )
    for column in ("handover_id", "status", "not_before"):
        op.create_index(f"ix_outbox_{column}", "outbox", [column])


def downgrade() -> None:
    """Drop the handover tables."""
    op.drop_index("ix_audit_log_handover_id", table_name="audit_log")
    op.drop_table("audit_log")
    for column in ("handover_id", "status", "not_before"):
        op.drop_index(f"ix_outbox_{column}", table_name="outbox")
    op.drop_table("outbox")
    for column in ("pseudonym", "status", "answer_due_at", "closed_at"):
        op.drop_index(f"ix_handovers_{column}", table_name="handovers")
    op.drop_table("handovers")
    op.drop_table("enrollment_codes")
    op.drop_table("associations")
