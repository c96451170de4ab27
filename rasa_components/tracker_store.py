"""The engine's tracker store: encrypted, persistent by default, expiring, truly deleting, compact.

- Where (storage/conversation_state.py): our database by default (SQLite, or PostgreSQL when
  configured), so that a restart of any process loses no conversation; Redis for several engines;
  process memory for tests. Each blob is the serialised conversation encrypted with DATA_KEY.
- A conversation idle for `record_exp` seconds is forgotten.
- `delete` removes a conversation entirely: the bot's "forget" (quick exit) leaves nothing.
- Compaction (audit M3): Rasa replays and re-serialises the whole session on every turn, so a
  long conversation slowed everyone down. Once a conversation holds more than `max_events`
  events, it is saved as the state it had `keep_turns` user turns ago (its slots and active
  loop, written as a fresh session start) followed by those last turns unchanged. The rules and
  the actions only look at the slots, the active loop and the last turn or two, so the
  predictions stay the same while the cost of a turn stays flat.

Rasa's own SQL, Redis and in-memory stores neither delete nor expire as promised (audit M9), so
the engine refuses any other store at start (app/engine_server.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import rasa.shared.core.trackers
from cryptography.fernet import InvalidToken
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SerializedTrackerAsText, TrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from storage.conversation_state import MemoryState, StateBackend
from storage.crypto import FieldCipher

KEEP_TURNS = 10
MAX_EVENTS = 150


class ConversationStore(TrackerStore, SerializedTrackerAsText):
    """Conversations in a `StateBackend`, encrypted, compacted when long, gone when deleted."""

    def __init__(
        self,
        domain: Domain,
        event_broker: EventBroker | None = None,
        *,
        backend: StateBackend,
        cipher: FieldCipher,
        keep_turns: int = KEEP_TURNS,
        max_events: int = MAX_EVENTS,
        **kwargs: Any,
    ) -> None:
        super().__init__(domain, event_broker, **kwargs)
        self.backend = backend
        self.keep_turns = int(keep_turns)
        self.max_events = int(max_events)
        self._cipher = cipher

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the conversation, compacted when it has grown long."""
        await self.stream_events(tracker)
        if len(tracker.events) > self.max_events:
            tracker = compacted(tracker, self.keep_turns, list(self.domain.slots))
        self.backend.write(tracker.sender_id, self._cipher.encrypt(self.serialise_tracker(tracker)))

    async def delete(self, sender_id: str) -> bool:
        """Remove the conversation entirely; True when there was one."""
        return self.backend.delete(sender_id)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The latest session of the conversation, unless it has expired."""
        return self._retrieve(sender_id, fetch_all_sessions=False)

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        """Every session of the conversation held (compaction keeps one)."""
        return self._retrieve(conversation_id, fetch_all_sessions=True)

    def _retrieve(self, sender_id: str, fetch_all_sessions: bool) -> DialogueStateTracker | None:
        blob = self.backend.read(sender_id)
        if blob is None:
            return None
        try:
            tracker = self.deserialise_tracker(sender_id, self._cipher.decrypt(blob))
        except InvalidToken:  # another key: a fresh start is safer than a crash
            self.backend.delete(sender_id)
            return None
        if tracker is None or fetch_all_sessions:
            return tracker
        sessions = rasa.shared.core.trackers.get_trackers_for_conversation_sessions(tracker)
        return sessions[-1] if len(sessions) > 1 else tracker

    async def keys(self) -> Iterable[str]:
        """The conversations still held."""
        return self.backend.conversations()


def memory_store(domain: Domain, ttl_seconds: float = 86400, **kwargs: Any) -> ConversationStore:
    """A store in process memory (tests, throwaway runs); `kwargs` as for ConversationStore."""
    cipher = kwargs.pop("cipher", None) or FieldCipher("m" * 32)
    return ConversationStore(domain, backend=MemoryState(ttl_seconds), cipher=cipher, **kwargs)


def turn_starts(events: list[Event]) -> list[int]:
    """Indexes of the user messages that open a turn (they follow `action_listen`)."""
    return [
        index
        for index in range(1, len(events))
        if isinstance(events[index], UserUttered)
        and isinstance(events[index - 1], ActionExecuted)
        and events[index - 1].action_name == ACTION_LISTEN_NAME
    ]


def compacted(tracker: DialogueStateTracker, keep_turns: int, slots: list[Any]) -> DialogueStateTracker:
    """The same conversation holding only its last `keep_turns` turns after a summary of before."""
    events = list(tracker.events)
    starts = turn_starts(events)
    if len(starts) <= keep_turns:
        return tracker
    cut = starts[-keep_turns]
    before = DialogueStateTracker.from_events(tracker.sender_id, events[:cut], slots or None)
    summary = state_as_session_start(before, events[cut - 1].timestamp)
    return DialogueStateTracker.from_events(tracker.sender_id, summary + events[cut:], slots or None)


def state_as_session_start(tracker: DialogueStateTracker, timestamp: float) -> list[Event]:
    """Events that rebuild the tracker's slots and active loop, as a session that is listening."""
    summary: list[Event] = [
        ActionExecuted(ACTION_SESSION_START_NAME, timestamp=timestamp),
        SessionStarted(timestamp=timestamp),
    ]
    summary += [
        SlotSet(name, slot.value, timestamp=timestamp)
        for name, slot in tracker.slots.items()
        if slot.value != slot.initial_value
    ]
    if tracker.active_loop_name:
        summary.append(ActiveLoop(tracker.active_loop_name, timestamp=timestamp))
    summary.append(ActionExecuted(ACTION_LISTEN_NAME, timestamp=timestamp))
    return summary
