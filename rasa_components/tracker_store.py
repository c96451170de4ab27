"""In-memory tracker store: idle expiry, true deletion, and conversations kept short.

- A conversation idle for `record_exp` seconds is forgotten (Rasa's own in-memory store never
  forgets; default 24 h).
- `delete` removes a conversation entirely: the bot's "forget" (quick exit) leaves nothing.
- Compaction (audit M3): Rasa replays and re-serialises the whole session on every turn, so a
  long conversation slowed everyone down. Once a conversation holds more than `max_events`
  events, it is saved as the state it had `keep_turns` user turns ago (its slots and active
  loop, written as a fresh session start) followed by those last turns unchanged. The rules
  and the actions only look at the slots, the active loop and the last turn or two, so the
  predictions stay the same while the cost of a turn stays flat.

For several Rasa servers, Rasa's Redis store with the same `record_exp` is the documented
alternative; it neither deletes nor compacts, so the bot's "forget" reports a failure there
(docs/architecture.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

KEEP_TURNS = 10
MAX_EVENTS = 150


class ExpiringInMemoryTrackerStore(InMemoryTrackerStore):
    """In-memory conversations, compacted when long, dropped after `record_exp` idle seconds."""

    def __init__(
        self,
        domain: Domain,
        event_broker: EventBroker | None = None,
        record_exp: float | str = 86400,
        keep_turns: int | str = KEEP_TURNS,
        max_events: int | str = MAX_EVENTS,
        clock: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ) -> None:
        super().__init__(domain, event_broker, **kwargs)
        self.record_exp = float(record_exp)
        self.keep_turns = int(keep_turns)
        self.max_events = int(max_events)
        self._clock = clock
        self._saved_at: dict[str, float] = {}

    def _expire(self) -> None:
        """Forget every conversation idle for longer than `record_exp`."""
        now = self._clock()
        for sender_id in [s for s, at in self._saved_at.items() if now - at > self.record_exp]:
            self.store.pop(sender_id, None)
            del self._saved_at[sender_id]

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the conversation, compacted when it has grown long."""
        self._expire()
        if len(tracker.events) > self.max_events:
            tracker = compacted(tracker, self.keep_turns, list(self.domain.slots))
        await super().save(tracker)
        self._saved_at[tracker.sender_id] = self._clock()

    async def delete(self, sender_id: str) -> bool:
        """Remove the conversation entirely; True when there was one."""
        self._saved_at.pop(sender_id, None)
        return self.store.pop(sender_id, None) is not None

    async def _retrieve(self, sender_id: str, fetch_all_sessions: bool) -> DialogueStateTracker | None:
        """The conversation, unless it has expired."""
        self._expire()
        return await super()._retrieve(sender_id, fetch_all_sessions)

    async def keys(self) -> Iterable[str]:
        """The senders of the conversations still held."""
        self._expire()
        return list(self.store.keys())


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
