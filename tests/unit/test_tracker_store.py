"""The tracker store: chosen by the settings, idle expiry, true deletion, compaction that keeps the state."""

from __future__ import annotations

import pytest
from rasa.core.lock_store import RedisLockStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, get_trackers_for_conversation_sessions

from app.config import REPO_ROOT, ConfigError, _refuse_engine_stores, load_settings
from app.conversation_store import conversation_store, lock_store
from rasa_components.tracker_store import ConversationStore, compacted, memory_store, turn_starts
from storage.conversation_state import DatabaseState, MemoryState, RedisState
from storage.crypto import FieldCipher

DOMAIN = Domain.from_dict(
    {
        "intents": ["greet", "answer"],
        "slots": {
            "language": {"type": "text", "mappings": [{"type": "custom"}]},
            "answers": {"type": "list", "mappings": [{"type": "custom"}]},
            "requested_slot": {"type": "text", "mappings": [{"type": "custom"}]},
        },
        "forms": {"a_form": {"required_slots": []}},
        "actions": ["action_reply"],
    }
)


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def tracker(sender: str, text: str = "a marker text") -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender, [UserUttered(text)])


def one_turn(index: int) -> list:
    """A user message, the action answering it (which records the answer) and listening again."""
    return [
        UserUttered(f"text {index}", {"name": "answer", "confidence": 1.0}, timestamp=float(index)),
        ActionExecuted("action_reply", timestamp=float(index)),
        BotUttered(f"reply {index}", timestamp=float(index)),
        SlotSet("answers", [f"a{i}" for i in range(index + 1)], timestamp=float(index)),
        ActionExecuted(ACTION_LISTEN_NAME, timestamp=float(index)),
    ]


def long_conversation(turns: int, form_from: int | None = None) -> DialogueStateTracker:
    """A session of `turns` turns; the form becomes active at turn `form_from`."""
    events = [
        ActionExecuted(ACTION_SESSION_START_NAME),
        SessionStarted(),
        SlotSet("language", "uk"),
        ActionExecuted(ACTION_LISTEN_NAME),
    ]
    for index in range(turns):
        events += one_turn(index)
        if index == form_from:
            events[-1:-1] = [ActiveLoop("a_form"), SlotSet("requested_slot", "field")]
    return DialogueStateTracker.from_events("someone", events, DOMAIN.slots)


async def test_the_memory_store_expires_idle_conversations_and_holds_only_ciphertext():
    clock = Clock()
    backend = MemoryState(60, clock=clock)
    store = ConversationStore(Domain.empty(), backend=backend, cipher=FieldCipher("c" * 32))
    await store.save(tracker("a"))
    clock.now = 30
    await store.save(tracker("b"))
    assert await store.retrieve("a") is not None
    assert "a marker text" not in str(backend._blobs)
    clock.now = 70
    assert await store.retrieve("a") is None
    assert list(await store.keys()) == ["b"]
    clock.now = 200
    assert list(await store.keys()) == []


async def test_delete_removes_the_conversation_entirely():
    store = memory_store(Domain.empty())
    await store.save(tracker("a", "what a wrote"))
    await store.save(tracker("b", "what b wrote"))
    assert await store.delete("a") is True
    assert await store.retrieve("a") is None
    assert await store.delete("a") is False
    assert list(await store.keys()) == ["b"]


def test_compaction_keeps_the_state_and_the_last_turns_only():
    full = long_conversation(200, form_from=150)
    short = compacted(full, keep_turns=10, slots=list(DOMAIN.slots))
    assert len(short.events) < 60 < len(full.events)
    assert short.current_slot_values() == full.current_slot_values()
    assert short.active_loop_name == full.active_loop_name == "a_form"
    assert short.latest_message.text == full.latest_message.text == "text 199"
    assert short.latest_action_name == ACTION_LISTEN_NAME
    kept_texts = [e.text for e in short.events if isinstance(e, UserUttered)]
    assert kept_texts == [f"text {i}" for i in range(190, 200)]
    assert not [e for e in short.events if isinstance(e, UserUttered) and e.text == "text 150"]


def test_compaction_summarises_the_state_as_it_was_before_the_kept_turns():
    full = long_conversation(30)
    short = compacted(full, keep_turns=5, slots=list(DOMAIN.slots))
    events = list(short.events)
    summary = events[: turn_starts(events)[0]]
    assert SlotSet("answers", [f"a{i}" for i in range(25)]) in summary  # the value before turn 25
    assert SlotSet("language", "uk") in summary
    assert isinstance(summary[-1], ActionExecuted) and summary[-1].action_name == ACTION_LISTEN_NAME
    assert len(get_trackers_for_conversation_sessions(short)) == 1


def test_a_short_conversation_is_left_as_it_is():
    full = long_conversation(8)
    assert compacted(full, keep_turns=10, slots=list(DOMAIN.slots)) is full


async def test_saving_compacts_long_conversations_only():
    store = memory_store(DOMAIN, keep_turns=5, max_events=60)
    await store.save(long_conversation(10))
    assert len((await store.retrieve("someone")).events) == len(long_conversation(10).events)
    await store.save(long_conversation(300))
    kept = await store.retrieve("someone")
    assert len(kept.events) <= 60
    assert kept.current_slot_values() == long_conversation(300).current_slot_values()


def test_the_engine_keeps_conversations_where_the_settings_say(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("CONVERSATION_TTL_SECONDS", "120")
    settings = load_settings()
    assert settings.conversation_store == "database"
    store = conversation_store(settings)
    assert isinstance(store.backend, DatabaseState)
    assert (store.keep_turns, store.max_events) == (10, 150)
    assert lock_store(settings) is None, "one engine: Rasa's in-memory locks"
    monkeypatch.setenv("CONVERSATION_STORE", "redis")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    settings = load_settings()
    assert isinstance(conversation_store(settings).backend, RedisState)
    locks = lock_store(settings)
    assert isinstance(locks, RedisLockStore) and locks.red.connection_pool.connection_kwargs["db"] == 3


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"CONVERSATION_STORE": "sql"}, "CONVERSATION_STORE must be one of database, redis, memory"),
        ({"CONVERSATION_STORE": "redis"}, "CONVERSATION_STORE=redis needs REDIS_URL"),
    ],
)
def test_a_store_that_would_not_erase_is_refused_at_start(tmp_path, monkeypatch, environment, message):
    monkeypatch.setenv("INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("REDIS_URL", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        load_settings()


def test_a_tracker_store_in_endpoints_yml_is_refused_with_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://127.0.0.1:1/webhook")
    monkeypatch.setenv("ACTIONS_SECRET", "s" * 32)
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("tracker_store:\n  type: SQL\n  dialect: sqlite\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"endpoints\.yml must not configure a tracker_store"):
        _refuse_engine_stores(endpoints)
    _refuse_engine_stores(REPO_ROOT / "endpoints.yml")  # ours configures none
    action = AvailableEndpoints.read_endpoints(str(REPO_ROOT / "endpoints.yml"))
    assert action.tracker_store is None and action.lock_store is None


def test_the_engine_holds_a_conversation_lock_for_seconds_not_a_minute(tmp_path, monkeypatch):
    """A Rasa server killed while holding a conversation's lock in Redis would make the other
    replica wait for the lock's lifetime; the engine's environment shortens it before Rasa reads it."""
    import os
    import subprocess
    import sys

    from app.engine_server import ENGINE_LOCK_SECONDS, engine_environment

    monkeypatch.setenv("INSTANCE_DIR", str(tmp_path))
    for name in (
        "ACTION_ENDPOINT_URL",
        "CONVERSATION_TTL_SECONDS",
        "RASA_TOKEN",
        "ACTIONS_SECRET",
        "TICKET_LOCK_LIFETIME",
    ):
        monkeypatch.setenv(name, os.environ.get(name, ""))
    engine_environment(load_settings())
    read = "import rasa.core.lock_store as locks; print(locks.LOCK_LIFETIME)"
    lifetime = subprocess.run(
        [sys.executable, "-c", read], capture_output=True, text=True, env=dict(os.environ)
    )
    assert lifetime.stdout.strip() == str(ENGINE_LOCK_SECONDS) and ENGINE_LOCK_SECONDS <= 10
