"""Tables of the storage: message ids and encrypted chat references only, never any text."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import declarative_base
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

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
    """One Telegram message exchanged with a person, kept so that it can be deleted later."""

    __tablename__ = "message_ledger"
    __table_args__ = (UniqueConstraint("pseudonym", "message_id"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    pseudonym = Column(String(64), nullable=False, index=True)
    chat_ref = Column(Text, nullable=False)  # the Telegram chat id, encrypted
    message_id = Column(BigInteger, nullable=False)
    recorded_at = Column(UtcDateTime, nullable=False)
    delete_after = Column(UtcDateTime, nullable=True, index=True)


class ExitWordRow(Base):
    """A person's quick-exit code word, kept only as a keyed hash."""

    __tablename__ = "exit_words"

    pseudonym = Column(String(64), primary_key=True)
    word_hash = Column(String(64), nullable=False)
