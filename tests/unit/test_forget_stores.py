"""Audit M9: "forget" must remove a conversation for real, or refuse loudly; never pretend."""

from __future__ import annotations

import json
import sqlite3
from types import SimpleNamespace

from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_components.bot_channel import BotInput
from rasa_components.tracker_store import memory_store

SECRET = "s" * 40


def forget_request(store: object) -> SimpleNamespace:
    """What the bot channel's forget route receives, with an agent holding `store`."""
    agent = SimpleNamespace(is_ready=lambda: True, tracker_store=store, lock_store=InMemoryLockStore())
    app = SimpleNamespace(ctx=SimpleNamespace(agent=agent))
    return SimpleNamespace(json={"sender": "p1"}, app=app, headers={})


async def test_a_store_that_only_appends_is_refused_not_emptied(tmp_path):
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "trackers.db"))
    await store.save(DialogueStateTracker.from_events("p1", [UserUttered("my address is 12 rue X")]))
    # The old way of forgetting (an empty event list) left every row in place: the reproduction.
    await store.save(DialogueStateTracker.from_dict("p1", [], Domain.empty().slots))
    with sqlite3.connect(tmp_path / "trackers.db") as connection:
        assert connection.execute("SELECT count(*) FROM events").fetchone()[0] >= 1
    answer = await BotInput(SECRET)._forget(forget_request(store))
    assert answer.status == 501, "the bot is told the conversation could not be erased"


async def test_our_store_removes_the_conversation_entirely():
    store = memory_store(Domain.empty())
    await store.save(DialogueStateTracker.from_events("p1", [UserUttered("my address is 12 rue X")]))
    answer = await BotInput(SECRET)._forget(forget_request(store))
    assert answer.status == 200 and json.loads(answer.body) == {"forgotten": True, "existed": True}
    assert await store.retrieve("p1") is None and list(await store.keys()) == []


async def test_forget_also_clears_the_copy_rasa_kept_while_the_store_was_failing():
    """When a save fails, Rasa's fail-safe wrapper keeps the conversation in memory instead."""
    store = memory_store(Domain.empty())
    wrapped = FailSafeTrackerStore(store)
    store.backend.write = broken_write  # the database is down for this save
    await wrapped.save(DialogueStateTracker.from_events("p1", [UserUttered("my address is 12 rue X")]))
    assert "p1" in wrapped.fallback_tracker_store.store
    answer = await BotInput(SECRET)._forget(forget_request(wrapped))
    assert json.loads(answer.body) == {"forgotten": True, "existed": True}
    assert "p1" not in wrapped.fallback_tracker_store.store


def broken_write(conversation: str, blob: str) -> None:
    raise ConnectionError("database unavailable")
