"""The database work of one turn of a conversation, in as few transactions as the promises allow.

A turn reads the person's state (code word, auto-erase, open requests) and applies the
handover hooks in one transaction when it needs them, and records everything it showed in one
more. A quick exit reads the ledger, then forgets what was deleted and pauses the requests in
one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from storage.handovers import Handovers
from storage.message_ledger import ChatRef, LedgerEntry, MessageLedger
from storage.person_settings import PersonSettingsStore

# Extra work a caller wants done in the same transaction (e.g. marking an outbox row sent).
AlsoInTransaction = Callable[[Session], None]


@dataclass(frozen=True)
class PersonState:
    """What a turn needs to know about the person before asking the engine."""

    code_word_hash: str | None = None
    auto_erase_seconds: int | None = None
    open_requests: bool = False


@dataclass(frozen=True)
class TurnStart:
    """The person's state, and what the handover hooks did with their text."""

    state: PersonState
    code_word: bool = False  # the text was the person's code word: nothing else was done
    relayed_to: str | None = None  # the reference of the request the text was relayed to
    delivery_due: bool = False  # something became due for delivery (the pause lifted, held messages)


@dataclass
class TurnWrites:
    """What a turn changes, written at its end in one transaction."""

    records: list[LedgerEntry] = field(default_factory=list)
    delete_after: datetime | None = None
    auto_erase: tuple[int | None] | None = None  # set: (seconds or None for off,), and reschedule
    attach_chat: ChatRef | None = None  # the person has (new) requests: where to tell them
    attach_channel: str = "telegram"  # and through which channel

    def empty(self) -> bool:
        """True when there is nothing to write."""
        return not self.records and self.auto_erase is None and self.attach_chat is None


class TurnStore:
    """One place for the transactions of a turn."""

    def __init__(
        self,
        engine: Engine,
        ledger: MessageLedger,
        settings: PersonSettingsStore,
        handovers: Handovers,
    ) -> None:
        self._engine = engine
        self._ledger = ledger
        self._settings = settings
        self._handovers = handovers

    def code_word_digest(self, pseudonym: str, word: str) -> str:
        """The keyed hash a candidate code word is compared as."""
        return self._settings.code_word_digest(pseudonym, word)

    def state(self, pseudonym: str) -> PersonState:
        """The person's state, read in a short transaction."""
        with self._transaction() as session:
            return self._state(session, pseudonym)

    def begin(
        self, pseudonym: str, candidate: str | None, words: str | None, danger: bool
    ) -> TurnStart:
        """Read the state; unless the text is the code word, apply the handover hooks to it.

        `candidate` is the digest of the text as a code word; `words` the person's free text (None
        for buttons and commands). Danger closes a reply window and lifts nothing: the text is
        never relayed and nothing held is released at such a moment.
        """
        with self._transaction() as session:
            state = self._state(session, pseudonym)
            if candidate is not None and candidate == state.code_word_hash:
                return TurnStart(state, code_word=True)
            if words is None or not state.open_requests:
                return TurnStart(state)
            if danger:
                self._handovers.close_reply(pseudonym, session=session)
                return TurnStart(state)
            released = self._handovers.person_wrote(pseudonym, session=session) > 0
            relayed = self._handovers.take_reply(pseudonym, words, session=session)
            return TurnStart(state, relayed_to=relayed, delivery_due=released or relayed is not None)

    def end(self, pseudonym: str, writes: TurnWrites, also: AlsoInTransaction | None = None) -> None:
        """Record what the turn showed and the settings it changed, in one transaction."""
        with self._transaction() as session:
            self._ledger.record_all(session, writes.records, writes.delete_after)
            if writes.auto_erase is not None:
                self._settings.set_auto_erase(session, pseudonym, writes.auto_erase[0])
                self._ledger.reschedule(session, pseudonym, writes.delete_after)
            if writes.attach_chat is not None:
                self._handovers.attach_chat(
                    pseudonym, writes.attach_chat, writes.attach_channel, session=session
                )
            if also is not None:
                also(session)

    def set_code_word(self, pseudonym: str, word: str | None) -> None:
        """Set, replace (a normalised word) or remove (None) the person's code word."""
        with self._transaction() as session:
            self._settings.set_code_word(session, pseudonym, word)

    def open_reply(self, pseudonym: str) -> str | None:
        """The person will answer the association: the reference, or None when nobody can be answered."""
        return self._handovers.open_reply(pseudonym)

    def recorded(self, pseudonym: str) -> list[LedgerEntry]:
        """Every message recorded for the person (for a quick exit)."""
        return self._ledger.messages_of(pseudonym)

    def recorded_before(self, pseudonym: str, cutoff: datetime) -> list[LedgerEntry]:
        """The person's messages recorded up to `cutoff` (an interrupted exit's)."""
        return self._ledger.recorded_before(pseudonym, cutoff)

    def after_exit(
        self, pseudonym: str, deleted: list[LedgerEntry], retry: list[LedgerEntry], retry_at: datetime
    ) -> bool:
        """Forget what was deleted, retry the rest later, pause the requests; True if a group is told."""
        with self._transaction() as session:
            self._ledger.forget_entries(deleted, session)
            self._ledger.retry_later(session, retry, retry_at)
            return self._handovers.pause(pseudonym, session=session) > 0

    def _state(self, session: Session, pseudonym: str) -> PersonState:
        settings = self._settings.get(session, pseudonym)
        open_requests = self._handovers.has_open(pseudonym, session=session)
        return PersonState(settings.code_word_hash, settings.auto_erase_seconds, open_requests)

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        with Session(self._engine, future=True, expire_on_commit=False) as session, session.begin():
            yield session

