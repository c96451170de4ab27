"""Ledger of the Telegram message ids exchanged with each person, so that they can be deleted later."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from storage.crypto import FieldCipher
from storage.models import LedgerRow, as_utc

BATCH_SIZE = 500  # ids per IN (...) clause, well under every database's parameter limit
_UPSERT_INSERTS: dict[str, Callable[[Any], Any]] = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@dataclass(frozen=True)
class LedgerEntry:
    """One message exchanged with a person, as Telegram identifies it."""

    pseudonym: str
    chat_id: int
    message_id: int


class MessageLedger:
    """Records message ids per pseudonym (never texts) and tells which ones to delete, and when."""

    def __init__(self, engine: Engine, cipher: FieldCipher) -> None:
        insert = _UPSERT_INSERTS.get(engine.dialect.name)
        if insert is None:
            raise ValueError(f"the message ledger supports SQLite and PostgreSQL, not {engine.dialect.name}")
        self._engine = engine
        self._cipher = cipher
        self._insert = insert

    def record(
        self,
        pseudonym: str,
        chat_id: int,
        message_id: int,
        delete_after: datetime | None,
        *,
        recorded_at: datetime | None = None,
    ) -> None:
        """Remember a message; recording it again keeps one row and only replaces its delete_after."""
        delete_after = None if delete_after is None else as_utc(delete_after)
        statement = self._insert(LedgerRow.__table__).values(
            pseudonym=pseudonym,
            chat_ref=self._cipher.encrypt(str(int(chat_id))),
            message_id=message_id,
            recorded_at=_utc_now() if recorded_at is None else as_utc(recorded_at),
            delete_after=delete_after,
        )
        statement = statement.on_conflict_do_update(
            index_elements=["pseudonym", "message_id"],
            set_={"delete_after": statement.excluded.delete_after},
        )
        with self._transaction() as session:
            session.execute(statement)

    def messages_of(self, pseudonym: str) -> list[LedgerEntry]:
        """Every recorded message of one person, by message id."""
        query = select(LedgerRow).where(LedgerRow.pseudonym == pseudonym).order_by(LedgerRow.message_id)
        with self._transaction() as session:
            return [self._entry(row) for row in session.scalars(query)]

    def set_delete_after_for_all(self, pseudonym: str, delete_after: datetime | None) -> int:
        """Give all of a person's messages a new deletion time (None: keep them); returns the count."""
        delete_after = None if delete_after is None else as_utc(delete_after)
        statement = (
            update(LedgerRow)
            .where(LedgerRow.pseudonym == pseudonym)
            .values(delete_after=delete_after)
            .execution_options(synchronize_session=False)
        )
        with self._transaction() as session:
            return session.execute(statement).rowcount

    def due(self, now: datetime, limit: int = 500) -> list[LedgerEntry]:
        """Messages whose deletion time has come (delete_after <= now), the oldest first."""
        if limit <= 0:
            return []
        query = (
            select(LedgerRow)
            .where(LedgerRow.delete_after.is_not(None), LedgerRow.delete_after <= as_utc(now))
            .order_by(LedgerRow.delete_after, LedgerRow.id)
            .limit(limit)
        )
        with self._transaction() as session:
            return [self._entry(row) for row in session.scalars(query)]

    def forget(self, pseudonym: str, message_ids: Iterable[int] | None = None) -> int:
        """Drop the given messages of a person (all of them when None); returns the count dropped."""
        with self._transaction() as session:
            if message_ids is None:
                statement = delete(LedgerRow).where(LedgerRow.pseudonym == pseudonym)
                return session.execute(statement.execution_options(synchronize_session=False)).rowcount
            return _delete_messages(session, pseudonym, message_ids)

    def forget_entries(self, entries: Iterable[LedgerEntry]) -> int:
        """Drop the given entries (e.g. once deleted from Telegram); returns the count dropped."""
        by_person: dict[str, set[int]] = defaultdict(set)
        for entry in entries:
            by_person[entry.pseudonym].add(entry.message_id)
        with self._transaction() as session:
            return sum(_delete_messages(session, person, ids) for person, ids in by_person.items())

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

    def _entry(self, row: LedgerRow) -> LedgerEntry:
        """The entry of a row, with its chat id decrypted."""
        return LedgerEntry(row.pseudonym, int(self._cipher.decrypt(row.chat_ref)), row.message_id)


def _delete_messages(session: Session, pseudonym: str, message_ids: Iterable[int]) -> int:
    """Delete some messages of one person, in batches; returns the count deleted."""
    ids = sorted(set(message_ids))
    deleted = 0
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        statement = (
            delete(LedgerRow)
            .where(LedgerRow.pseudonym == pseudonym, LedgerRow.message_id.in_(batch))
            .execution_options(synchronize_session=False)
        )
        deleted += session.execute(statement).rowcount
    return deleted


def _utc_now() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(timezone.utc)
