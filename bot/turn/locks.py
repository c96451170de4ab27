"""One ordering lock per person: their updates are answered one at a time, in order."""

from __future__ import annotations

import asyncio
import weakref


class PersonLocks:
    """The single registry of per-person locks; a lock lives while someone holds or waits on it."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    def of(self, pseudonym: str) -> asyncio.Lock:
        """The person's lock."""
        lock = self._locks.get(pseudonym)
        if lock is None:
            lock = self._locks[pseudonym] = asyncio.Lock()
        return lock
