"""A short-lived copy of each person's state (code word hash, auto-erase, open requests).

The pipeline writes through it whenever it changes that state itself, so a conversation reads
the database once per `ttl_seconds` instead of on every message, and a flood of messages can be
checked for the code word without touching the database.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from storage.turns import PersonState


class PersonStateCache:
    """Pseudonym -> state, expiring."""

    def __init__(self, ttl_seconds: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl_seconds
        self._clock = clock
        self._states: dict[str, tuple[PersonState, float]] = {}

    def get(self, pseudonym: str) -> PersonState | None:
        """The state, if read recently."""
        found = self._states.get(pseudonym)
        if found is None or self._clock() - found[1] > self._ttl:
            return None
        return found[0]

    def put(self, pseudonym: str, state: PersonState) -> None:
        """Keep a state just read or written."""
        self._states[pseudonym] = (state, self._clock())

    def update(self, pseudonym: str, **changes: object) -> None:
        """Change a cached state after the pipeline wrote it (nothing when not cached)."""
        found = self._states.get(pseudonym)
        if found is not None:
            self._states[pseudonym] = (replace(found[0], **changes), found[1])  # type: ignore[arg-type]

    def forget(self, pseudonym: str) -> None:
        """Read the state again next time."""
        self._states.pop(pseudonym, None)

    def prune(self) -> None:
        """Drop expired states."""
        now = self._clock()
        for pseudonym in [p for p, (_, at) in self._states.items() if now - at > self._ttl]:
            del self._states[pseudonym]
