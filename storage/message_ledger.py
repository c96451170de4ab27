"""Ledger of the message ids exchanged with each person, so that they can be deleted later.

Rows hold the pseudonym, the channel, the chat encrypted, the message id and when it is due for
deletion: never a text. Session-level methods take the caller's transaction, so that a turn
records everything it showed at once.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.fernet import InvalidToken
from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from core.clock import Clock, utc_now
from storage.crypto import FieldCipher
from storage.models import LedgerRow, as_utc

logger = logging.getLogger(__name__)

BATCH_SIZE = 500  # ids per IN (...) clause, well under every database's parameter limit
_UPSERT_INSERTS: dict[str, Callable[[Any], Any]] = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
ChatRef = int | str


@dataclass(frozen=True)
class LedgerEntry:
    """One message exchanged with a person, as its channel identifies it."""

    pseudonym: str
    chat_id: ChatRef
    message_id: int
    channel: str = "telegram"


class MessageLedger:
    """Records message ids per pseudonym (never texts) and tells which ones to delete, and when."""

    def __init__(self, engine: Engine, cipher: FieldCipher, clock: Clock = utc_now) -> None:
        insert = _UPSERT_INSERTS.get(engine.dialect.name)
        if insert is None:
            raise ValueError(f"the message ledger supports SQLite and PostgreSQL, not {engine.dialect.name}")
        self._engine = engine
        self._cipher = cipher
        self._insert = insert
        self._now = clock

    def record(
        self,
        pseudonym: str,
        chat_id: ChatRef,
        message_id: int,
        delete_after: datetime | None,
        *,
        recorded_at: datetime | None = None,
        channel: str = "telegram",
    ) -> None:
        """Remember a message; recording it again keeps one row and only replaces its delete_after."""
        entry = LedgerEntry(pseudonym, chat_id, message_id, channel)
        with self._transaction() as session:
            self.record_all(session, [entry], delete_after, recorded_at=recorded_at)

    def record_all(
        self,
        session: Session,
        entries: Iterable[LedgerEntry],
        delete_after: datetime | None,
        *,
        recorded_at: datetime | None = None,
    ) -> None:
        """Remember messages in the caller's transaction, all due at the same time (None: not due)."""
        due = None if delete_after is None else as_utc(delete_after)
        recorded = self._now() if recorded_at is None else as_utc(recorded_at)
        for entry in entries:
            statement = self._insert(LedgerRow.__table__).values(
                pseudonym=entry.pseudonym,
                channel=entry.channel,
                chat_ref=self._cipher.encrypt(str(entry.chat_id)),
                message_id=entry.message_id,
                recorded_at=recorded,
                delete_after=due,
            )
            statement = statement.on_conflict_do_update(
                index_elements=["pseudonym", "message_id"],
                set_={"delete_after": statement.excluded.delete_after},
            )
            session.execute(statement)

    def reschedule(self, session: Session, pseudonym: str, delete_after: datetime | None) -> int:
        """In the caller's transaction, give all of a person's messages a new deletion time."""
        statement = (
            update(LedgerRow)
            .where(LedgerRow.pseudonym == pseudonym)
            .values(delete_after=None if delete_after is None else as_utc(delete_after))
            .execution_options(synchronize_session=False)
        )
        return session.execute(statement).rowcount

    def retry_later(self, session: Session, entries: Iterable[LedgerEntry], when: datetime) -> None:
        """Deletions that failed for now: due again at `when` (the sweeper retries them)."""
        by_person: dict[str, set[int]] = defaultdict(set)
        for entry in entries:
            by_person[entry.pseudonym].add(entry.message_id)
        for pseudonym, ids in by_person.items():
            for batch in _batches(ids):
                session.execute(
                    update(LedgerRow)
                    .where(LedgerRow.pseudonym == pseudonym, LedgerRow.message_id.in_(batch))
                    .values(delete_after=as_utc(when))
                    .execution_options(synchronize_session=False)
                )

    def messages_of(self, pseudonym: str) -> list[LedgerEntry]:
        """Every recorded message of one person, by message id."""
        query = select(LedgerRow).where(LedgerRow.pseudonym == pseudonym).order_by(LedgerRow.message_id)
        with self._transaction() as session:
            return self._entries(session.scalars(query))

    def set_delete_after_for_all(self, pseudonym: str, delete_after: datetime | None) -> int:
        """Give all of a person's messages a new deletion time (None: keep them); returns the count."""
        with self._transaction() as session:
            return self.reschedule(session, pseudonym, delete_after)

    def due(
        self, now: datetime, limit: int = 500, channels: Iterable[str] | None = None
    ) -> list[LedgerEntry]:
        """Messages whose deletion time has come (delete_after <= now), the oldest first.

        `channels` keeps only the messages of the channels a process serves.
        """
        if limit <= 0:
            return []
        due = LedgerRow.delete_after.is_not(None), LedgerRow.delete_after <= as_utc(now)
        query = select(LedgerRow).where(*due)
        if channels is not None:
            query = query.where(LedgerRow.channel.in_(list(channels)))
        query = query.order_by(LedgerRow.delete_after, LedgerRow.id).limit(limit)
        with self._transaction() as session:
            return self._entries(session.scalars(query))

    def recorded_before(self, pseudonym: str, cutoff: datetime) -> list[LedgerEntry]:
        """The person's messages recorded up to `cutoff` (those of a conversation erased then)."""
        query = select(LedgerRow).where(
            LedgerRow.pseudonym == pseudonym, LedgerRow.recorded_at <= as_utc(cutoff)
        )
        with self._transaction() as session:
            return self._entries(session.scalars(query.order_by(LedgerRow.message_id)))

    def forget(self, pseudonym: str, message_ids: Iterable[int] | None = None) -> int:
        """Drop the given messages of a person (all of them when None); returns the count dropped."""
        with self._transaction() as session:
            if message_ids is None:
                statement = delete(LedgerRow).where(LedgerRow.pseudonym == pseudonym)
                return session.execute(statement.execution_options(synchronize_session=False)).rowcount
            return _delete_messages(session, pseudonym, message_ids)

    def retry_entries(self, entries: Iterable[LedgerEntry], when: datetime) -> None:
        """Deletions that failed for now: due again at `when`."""
        with self._transaction() as session:
            self.retry_later(session, entries, when)

    def forget_entries(self, entries: Iterable[LedgerEntry], session: Session | None = None) -> int:
        """Drop the given entries (e.g. once deleted), in the caller's transaction if one is given."""
        by_person: dict[str, set[int]] = defaultdict(set)
        for entry in entries:
            by_person[entry.pseudonym].add(entry.message_id)
        if session is not None:
            return sum(_delete_messages(session, person, ids) for person, ids in by_person.items())
        with self._transaction() as own:
            return self.forget_entries(entries, own) if by_person else 0

    def purge_recorded_before(self, cutoff: datetime) -> int:
        """Drop rows recorded before the cutoff (Telegram cannot delete messages older than 48 h)."""
        statement = delete(LedgerRow).where(LedgerRow.recorded_at < as_utc(cutoff))
        with self._transaction() as session:
            return session.execute(statement.execution_options(synchronize_session=False)).rowcount

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        """A short session inside one transaction, committed on success."""
        with Session(self._engine, future=True) as session, session.begin():
            yield session

    def _entries(self, rows: Iterable[LedgerRow]) -> list[LedgerEntry]:
        """The entries of rows, chats decrypted; a row that cannot be read is skipped, not fatal."""
        entries = []
        for row in rows:
            try:
                chat = self._cipher.decrypt(row.chat_ref)
            except InvalidToken:
                logger.error("a ledger row could not be decrypted (wrong or rotated DATA_KEY)")
                continue
            entries.append(LedgerEntry(row.pseudonym, _chat(chat), row.message_id, row.channel))
        return entries


def _chat(text: str) -> ChatRef:
    """A chat reference as it was recorded: Telegram's are integers, other channels' are strings."""
    return int(text) if text.lstrip("-").isdigit() else text


def _batches(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), BATCH_SIZE):
        yield ordered[start : start + BATCH_SIZE]


def _delete_messages(session: Session, pseudonym: str, message_ids: Iterable[int]) -> int:
    """Delete some messages of one person, in batches; returns the count deleted."""
    deleted = 0
    for batch in _batches(message_ids):
        statement = (
            delete(LedgerRow)
            .where(LedgerRow.pseudonym == pseudonym, LedgerRow.message_id.in_(batch))
            .execution_options(synchronize_session=False)
        )
        deleted += session.execute(statement).rowcount
    return deleted
