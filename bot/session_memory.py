"""Short-lived, in-process memory of each person's reply language, for the static fallback.

Holds a pseudonym and a language code only, and forgets them after `ttl_seconds`.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class LanguageMemory:
    """Pseudonym -> language of the last reply, expiring."""

    def __init__(self, ttl_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl_seconds
        self._clock = clock
        self._entries: dict[str, tuple[str, float]] = {}

    def remember(self, pseudonym: str, language: str) -> None:
        """Keep the language of the latest reply."""
        self._entries[pseudonym] = (language, self._clock())

    def recall(self, pseudonym: str) -> str | None:
        """The remembered language, or None once expired."""
        entry = self._entries.get(pseudonym)
        if entry is None:
            return None
        language, stored_at = entry
        if self._clock() - stored_at > self._ttl:
            del self._entries[pseudonym]
            return None
        return language

    def forget(self, pseudonym: str) -> None:
        """Drop everything about this person."""
        self._entries.pop(pseudonym, None)

    def prune(self) -> None:
        """Drop expired entries."""
        now = self._clock()
        for key in [k for k, (_, at) in self._entries.items() if now - at > self._ttl]:
            del self._entries[key]
