"""The ids shown to each person lately, in memory: a second source for a quick exit.

The ledger in the database is the first source. When the database is locked or down, an exit
still deletes what this process showed; it keeps at most `per_person` ids per person, and
forgets them after Telegram's deletion window.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from storage.message_ledger import LedgerEntry

DELETABLE_SECONDS = 47 * 3600  # Telegram lets a bot delete a message for 48 hours


class RecentMessages:
    """Pseudonym -> the entries shown to them, newest last, with when they were shown."""

    def __init__(
        self,
        per_person: int = 500,
        keep_seconds: float = DELETABLE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._per_person = per_person
        self._keep = keep_seconds
        self._clock = clock
        self._entries: dict[str, deque[tuple[LedgerEntry, float]]] = {}

    def note(self, entries: list[LedgerEntry]) -> None:
        """Remember entries just shown (or received)."""
        now = self._clock()
        for entry in entries:
            shown = self._entries.setdefault(entry.pseudonym, deque(maxlen=self._per_person))
            shown.append((entry, now))

    def of(self, pseudonym: str) -> list[LedgerEntry]:
        """The person's entries still deletable."""
        oldest = self._clock() - self._keep
        return [entry for entry, at in self._entries.get(pseudonym, ()) if at >= oldest]

    def forget(self, pseudonym: str, message_ids: set[int] | None = None) -> None:
        """Drop the person's entries (only these ids when given)."""
        if message_ids is None:
            self._entries.pop(pseudonym, None)
            return
        kept = [(e, at) for e, at in self._entries.get(pseudonym, ()) if e.message_id not in message_ids]
        self._entries[pseudonym] = deque(kept, maxlen=self._per_person)

    def prune(self) -> None:
        """Drop everything too old to delete."""
        oldest = self._clock() - self._keep
        for pseudonym in list(self._entries):
            if not self._entries[pseudonym] or self._entries[pseudonym][-1][1] < oldest:
                del self._entries[pseudonym]
