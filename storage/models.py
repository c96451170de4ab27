"""Tables of the storage: message ids and encrypted chat references only, never any text."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base
from sqlalchemy.sql.expression import false
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

if TYPE_CHECKING:  # SQLAlchemy 1.4 ships no types: what the code uses of a declarative base

    class Base:
        metadata: Any
        __table__: Any

        def __init__(self, **columns: Any) -> None: ...

else:
    Base = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))


def as_utc(value: datetime) -> datetime:
    """The same instant in UTC; naive datetimes are refused because their zone is unknown."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("datetimes must be timezone-aware")
    return value.astimezone(timezone.utc)


class UtcDateTime(TypeDecorator):
    """A timezone-aware datetime stored in UTC; naive values read back (SQLite) are taken as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Convert to UTC before storing, so that SQLite compares instants correctly."""
        return None if value is None else as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Return an aware UTC datetime whatever the database gave back."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class LedgerRow(Base):
    """One message exchanged with a person, kept (by id, never by text) so that it can be deleted later."""

    __tablename__ = "message_ledger"
    __table_args__ = (UniqueConstraint("pseudonym", "message_id"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    pseudonym = Column(String(64), nullable=False, index=True)
    channel = Column(String(16), nullable=False, default="telegram", server_default="telegram")
    chat_ref = Column(Text, nullable=False)  # the channel's chat id, encrypted
    message_id = Column(BigInteger, nullable=False)
    recorded_at = Column(UtcDateTime, nullable=False)
    delete_after = Column(UtcDateTime, nullable=True, index=True)


class PersonSettingsRow(Base):
    """A person's discretion settings: the code word as a keyed hash, and the auto-erase delay."""

    __tablename__ = "person_settings"

    pseudonym = Column(String(64), primary_key=True)
    code_word_hash = Column(String(64), nullable=True)
    auto_erase_seconds = Column(Integer, nullable=True)
    updated_at = Column(UtcDateTime, nullable=False)


class AssociationRow(Base):
    """A partner association of the live directory, and the Telegram group it enrolled."""

    __tablename__ = "associations"

    id = Column(String(20), primary_key=True)
    data = Column(Text, nullable=False)  # the directory entry as JSON (public information only)
    active = Column(Boolean, nullable=False, default=True)
    group_chat_id = Column(BigInteger, nullable=True, unique=True)
    group_confirmed = Column(Boolean, nullable=False, default=False, server_default=false())
    enrolled_at = Column(UtcDateTime, nullable=True)
    updated_at = Column(UtcDateTime, nullable=False)


class EnrollmentCodeRow(Base):
    """A one-time code that binds a Telegram group to an association; kept as a keyed hash."""

    __tablename__ = "enrollment_codes"

    code_hash = Column(String(64), primary_key=True)
    association_id = Column(String(20), ForeignKey("associations.id"), nullable=False)
    expires_at = Column(UtcDateTime, nullable=False)
    used_at = Column(UtcDateTime, nullable=True)


class HandoverRow(Base):
    """A handover request: routing fields in clear, everything personal encrypted in `personal`."""

    __tablename__ = "handovers"

    id = Column(Integer, primary_key=True, autoincrement=True)
    reference = Column(String(12), nullable=False, unique=True)
    idempotency_key = Column(String(64), nullable=False, unique=True)
    pseudonym = Column(String(64), nullable=False, index=True)
    level = Column(String(16), nullable=False)
    language = Column(String(8), nullable=False)
    departement = Column(String(3), nullable=True)
    form = Column(String(16), nullable=True)
    minor = Column(Boolean, nullable=False, default=False)
    needs = Column(Text, nullable=False, default="")
    association_id = Column(String(20), ForeignKey("associations.id"), nullable=True)
    tried = Column(Text, nullable=False, default="")
    status = Column(String(16), nullable=False, index=True)
    answer_due_at = Column(UtcDateTime, nullable=True, index=True)
    paused = Column(Boolean, nullable=False, default=False)
    safe_times = Column(String(16), nullable=False, default="any")
    personal = Column(Text, nullable=True)  # encrypted JSON; erased on withdrawal and after retention
    chat_ref = Column(Text, nullable=True)  # the person's chat id, encrypted
    reply_open_until = Column(UtcDateTime, nullable=True)
    created_at = Column(UtcDateTime, nullable=False)
    updated_at = Column(UtcDateTime, nullable=False)
    closed_at = Column(UtcDateTime, nullable=True, index=True)
    erased_at = Column(UtcDateTime, nullable=True)
    holder_account_id = Column(Integer, nullable=True)  # the inbox account following it up
    next_contact_on = Column(Date, nullable=True)  # a reminder in the inbox list
    outcome = Column(String(24), nullable=True)  # chosen at closing, from core.request_states.OUTCOMES
    channel = Column(String(16), nullable=True)  # where the person talks (None: Telegram, before 0008)


class OutboxRow(Base):
    """A message to deliver (to a group or to the person), written in the same transaction as its cause."""

    __tablename__ = "outbox"

    id = Column(Integer, primary_key=True, autoincrement=True)
    handover_id = Column(Integer, ForeignKey("handovers.id"), nullable=False, index=True)
    dedupe_key = Column(String(80), nullable=False, unique=True)
    kind = Column(String(24), nullable=False)
    target = Column(String(8), nullable=False)  # "group" or "person"
    association_id = Column(String(20), nullable=True)
    body = Column(Text, nullable=True)  # encrypted JSON (relayed words), erased once sent
    status = Column(String(8), nullable=False, index=True)  # pending, sent, dead
    attempts = Column(Integer, nullable=False, default=0)
    not_before = Column(UtcDateTime, nullable=True, index=True)  # None: held until the person writes
    created_at = Column(UtcDateTime, nullable=False)
    sent_at = Column(UtcDateTime, nullable=True)
    sent_chat_id = Column(BigInteger, nullable=True)  # group messages only, to route replies
    sent_message_id = Column(BigInteger, nullable=True)
    claimed_by = Column(String(40), nullable=True)  # the sender holding the lease (audit M12)


class AuditRow(Base):
    """Who did what to a handover, under a pseudonym: enrolments, answers, withdrawals."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True, autoincrement=True)
    at = Column(UtcDateTime, nullable=False)
    action = Column(String(24), nullable=False)
    association_id = Column(String(20), nullable=True)
    handover_id = Column(Integer, nullable=True, index=True)
    actor = Column(String(64), nullable=True)


class InboxAccountRow(Base):
    """Someone of an association who works in the inbox (issue 13): a coordinator or a member.

    The login is kept as a keyed hash and the name encrypted; the password as an Argon2id hash and
    the TOTP secret encrypted, both empty until the one-time setup link is used.
    """

    __tablename__ = "inbox_accounts"

    id = Column(Integer, primary_key=True, autoincrement=True)
    association_id = Column(String(20), ForeignKey("associations.id"), nullable=False, index=True)
    role = Column(String(12), nullable=False)  # coordinator or member
    login_hash = Column(String(64), nullable=False, unique=True)
    name = Column(Text, nullable=False)  # encrypted
    password_hash = Column(Text, nullable=True)
    totp_secret = Column(Text, nullable=True)  # encrypted
    last_totp_step = Column(BigInteger, nullable=True)  # a code is accepted once
    failed_logins = Column(Integer, nullable=False, default=0)
    locked = Column(Boolean, nullable=False, default=False)
    created_at = Column(UtcDateTime, nullable=False)


class InboxSetupLinkRow(Base):
    """A one-time link to choose a password and a second factor; kept as a keyed hash."""

    __tablename__ = "inbox_setup_links"

    token_hash = Column(String(64), primary_key=True)
    account_id = Column(Integer, ForeignKey("inbox_accounts.id"), nullable=False, index=True)
    expires_at = Column(UtcDateTime, nullable=False)
    used_at = Column(UtcDateTime, nullable=True)


class InboxRecoveryCodeRow(Base):
    """A one-time recovery code, for a lost phone; kept as a keyed hash."""

    __tablename__ = "inbox_recovery_codes"

    code_hash = Column(String(64), primary_key=True)
    account_id = Column(Integer, ForeignKey("inbox_accounts.id"), nullable=False, index=True)
    used_at = Column(UtcDateTime, nullable=True)


class InboxSessionRow(Base):
    """A logged-in inbox session: the cookie's token and the form token, both as keyed hashes."""

    __tablename__ = "inbox_sessions"

    token_hash = Column(String(64), primary_key=True)
    account_id = Column(Integer, ForeignKey("inbox_accounts.id"), nullable=False, index=True)
    csrf_hash = Column(String(64), nullable=False)
    created_at = Column(UtcDateTime, nullable=False)
    last_seen_at = Column(UtcDateTime, nullable=False)


class InboxAccessRow(Base):
    """Who did what in the inbox, and when: account ids and request references, no personal data."""

    __tablename__ = "inbox_access_log"

    id = Column(Integer, primary_key=True, autoincrement=True)
    at = Column(UtcDateTime, nullable=False)
    association_id = Column(String(20), nullable=False, index=True)
    account_id = Column(Integer, nullable=False)
    action = Column(String(24), nullable=False)
    reference = Column(String(16), nullable=True)  # the request concerned, if any


class RelayMessageRow(Base):
    """One message of the confidential relay, either way; the text encrypted, erased with the request."""

    __tablename__ = "relay_messages"

    id = Column(Integer, primary_key=True, autoincrement=True)
    handover_id = Column(Integer, ForeignKey("handovers.id"), nullable=False, index=True)
    direction = Column(String(12), nullable=False)  # from_person or to_person
    account_id = Column(Integer, nullable=True)  # who answered, for messages to the person
    at = Column(UtcDateTime, nullable=False)
    text = Column(Text, nullable=False)  # encrypted


class InboxNoteRow(Base):
    """A follow-up note written in the inbox; encrypted, erased with the request's personal fields."""

    __tablename__ = "inbox_notes"

    id = Column(Integer, primary_key=True, autoincrement=True)
    handover_id = Column(Integer, ForeignKey("handovers.id"), nullable=False, index=True)
    account_id = Column(Integer, nullable=True)
    at = Column(UtcDateTime, nullable=False)
    text = Column(Text, nullable=False)  # encrypted


class ConversationStateRow(Base):
    """The engine's state of one conversation, encrypted as one blob; deleted on a quick exit."""

    __tablename__ = "conversation_state"

    conversation = Column(String(128), primary_key=True)  # the engine's sender id: a pseudonym
    state = Column(Text, nullable=False)
    saved_at = Column(UtcDateTime, nullable=False, index=True)
