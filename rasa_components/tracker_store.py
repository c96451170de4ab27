"""Tracker store that forgets a conversation once it has been idle for `record_exp` seconds.

Rasa's in-memory store keeps every conversation for the life of the process; conversation
state here must expire (default 24 h). For several Rasa servers, use Rasa's Redis store with
the same `record_exp` instead (see docs/architecture.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker


class ExpiringInMemoryTrackerStore(InMemoryTrackerStore):
    """In-memory conversations, dropped after `record_exp` idle seconds."""

    def __init__(
        self,
        domain: Domain,
        event_broker: EventBroker | None = None,
        record_exp: float | str = 86400,
        clock: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ) -> None:
        super().__init__(domain, event_broker, **kwargs)
        self.record_exp = float(record_exp)
        self._clock = clock
        self._saved_at: dict[str, float] = {}

    def _expire(self) -> None:
        """Forget every conversation idle for longer than `record_exp`."""
        now = self._clock()
        for sender_id in [s for s, at in self._saved_at.items() if now - at > self.record_exp]:
            self.store.pop(sender_id, None)
            del self._saved_at[sender_id]

    async def save(self, tracker: DialogueStateTracker) -> None:
        self._expire()
        await super().save(tracker)
        self._saved_at[tracker.sender_id] = self._clock()

    async def _retrieve(self, sender_id: str, fetch_all_sessions: bool) -> DialogueStateTracker | None:
        self._expire()
        return await super()._retrieve(sender_id, fetch_all_sessions)

    async def keys(self) -> Iterable[str]:
        self._expire()
        return list(self.store.keys())
