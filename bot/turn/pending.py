"""Writes of turns that the database could not take yet (locked, down) or that a flood deferred.

Nothing is lost: the maintenance task retries them in order; a quick exit takes their message
ids to delete them, whether or not they reached the ledger.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from storage.message_ledger import LedgerEntry
from storage.turns import AlsoInTransaction, TurnWrites


@dataclass
class PendingWrite:
    """One turn's writes for one person, and extra work for the same transaction."""

    pseudonym: str
    writes: TurnWrites
    also: AlsoInTransaction | None = None


class PendingWrites:
    """A first-in, first-out queue of writes to retry."""

    def __init__(self) -> None:
        self._queue: deque[PendingWrite] = deque()

    def add(self, pseudonym: str, writes: TurnWrites, also: AlsoInTransaction | None = None) -> None:
        """Queue a write; consecutive plain records of one person with the same due time are merged."""
        last = self._queue[-1] if self._queue else None
        if (
            last is not None
            and last.pseudonym == pseudonym
            and last.also is None
            and also is None
            and _only_records(last.writes)
            and _only_records(writes)
            and last.writes.delete_after == writes.delete_after
        ):
            last.writes.records.extend(writes.records)
            return
        self._queue.append(PendingWrite(pseudonym, writes, also))

    def first(self) -> PendingWrite | None:
        """The oldest write, left in the queue."""
        return self._queue[0] if self._queue else None

    def done(self, write: PendingWrite) -> None:
        """The oldest write reached the database."""
        if self._queue and self._queue[0] is write:
            self._queue.popleft()

    def records_of(self, pseudonym: str) -> list[LedgerEntry]:
        """Message ids of the person not in the ledger yet."""
        return [entry for item in self._queue if item.pseudonym == pseudonym for entry in item.writes.records]

    def drop_records(self, pseudonym: str) -> None:
        """A quick exit took these ids: record them no more (settings and other work stay)."""
        for item in self._queue:
            if item.pseudonym == pseudonym:
                item.writes.records.clear()

    def __len__(self) -> int:
        return len(self._queue)


def _only_records(writes: TurnWrites) -> bool:
    return writes.auto_erase is None and writes.attach_chat is None
