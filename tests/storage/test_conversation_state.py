"""Conversation state on SQLite, PostgreSQL, Redis and in memory: it survives a new store object
(a restart), is encrypted at rest, expires when idle, and is truly gone once deleted."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import func, select

from rasa_components.tracker_store import ConversationStore
from storage.conversation_state import DatabaseState, MemoryState, RedisState
from storage.crypto import FieldCipher
from storage.database import migrate
from storage.models import ConversationStateRow
from tests.storage.conftest import empty_database

MARKER = "they keep my passport at 12 rue des Lilas"
TTL = 3600.0
DOMAIN = Domain.from_dict(
    {
        "slots": {
            "language": {"type": "text", "mappings": [{"type": "custom"}]},
            "alias": {"type": "text", "mappings": [{"type": "custom"}]},
        },
        "forms": {"handover_form": {"required_slots": []}},
    }
)


class Clock:
    """A settable clock for both kinds of time the backends use."""

    def __init__(self) -> None:
        self.wall = datetime(2026, 12, 6, 12, 0, tzinfo=timezone.utc)
        self.seconds = 1000.0

    def advance(self, seconds: float) -> None:
        self.wall += timedelta(seconds=seconds)
        self.seconds += seconds


@pytest.fixture(params=["sqlite", "postgresql", "redis", "memory"])
def place(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple]:
    """How to open the backend again (as a restarted process would), its clock, and its raw view."""
    clock = Clock()
    if request.param in ("sqlite", "postgresql"):
        with empty_database(request, request.param, tmp_path) as database:
            migrate(database.url, database.connect_args)
            engine = database.engine()
            # Another process (the bot) keeps the database open, so SQLite keeps its log file.
            other_process = sqlite3.connect(database.file) if database.file else None
            if other_process:
                other_process.execute("SELECT count(*) FROM conversation_state").fetchone()
            yield (
                lambda: DatabaseState(engine, TTL, clock=lambda: clock.wall),
                clock,
                RawDatabase(engine, database.file),
            )
            engine.dispose()
            if other_process:
                other_process.close()
        return
    if request.param == "redis":
        client = request.getfixturevalue("redis_client")
        prefix = f"test-conversation-{uuid.uuid4().hex[:8]}:"
        yield lambda: RedisState(client, TTL, prefix=prefix), clock, RawRedis(client, prefix)
        for key in client.scan_iter(match=prefix + "*"):
            client.delete(key)
        return
    memory = MemoryState(TTL, clock=lambda: clock.seconds)
    yield lambda: memory, clock, None


class RawDatabase:
    """The table, and for SQLite the bytes of the file and its write-ahead log."""

    def __init__(self, engine, file) -> None:
        self.engine, self.file = engine, file

    def count(self, conversation: str) -> int:
        query = select(func.count()).where(ConversationStateRow.conversation == conversation)
        with self.engine.connect() as connection:
            return int(connection.scalar(query))

    def blob(self, conversation: str) -> str:
        query = select(ConversationStateRow.state).where(ConversationStateRow.conversation == conversation)
        with self.engine.connect() as connection:
            return str(connection.scalar(query))

    def files_hold(self, fragment: str) -> bool:
        if self.file is None:  # PostgreSQL: the row is deleted; its dead tuple holds only ciphertext
            return False
        needle = fragment.encode("ascii")
        wal = self.file.with_name(self.file.name + "-wal")
        return any(path.exists() and needle in path.read_bytes() for path in (self.file, wal))


class RawRedis:
    """The keys as Redis holds them."""

    def __init__(self, client, prefix: str) -> None:
        self.client, self.prefix = client, prefix

    def count(self, conversation: str) -> int:
        return int(self.client.exists(self.prefix + conversation))

    def blob(self, conversation: str) -> str:
        return self.client.get(self.prefix + conversation).decode("ascii")

    def files_hold(self, fragment: str) -> bool:
        return False


def conversation(sender: str) -> DialogueStateTracker:
    """Halfway through the handover questions, in Ukrainian, with an alias given."""
    return DialogueStateTracker.from_events(
        sender,
        [
            UserUttered(MARKER),
            SlotSet("language", "uk"),
            ActiveLoop("handover_form"),
            SlotSet("alias", "Olena"),
        ],
        DOMAIN.slots,
    )


def store_on(backend, key: str = "k" * 32) -> ConversationStore:
    return ConversationStore(DOMAIN, backend=backend, cipher=FieldCipher(key))


async def test_a_conversation_survives_a_restart_in_its_language_and_form(place):
    open_backend, _, raw = place
    sender = uuid.uuid4().hex
    await store_on(open_backend()).save(conversation(sender))
    restarted = await store_on(open_backend()).retrieve(sender)
    assert restarted is not None
    assert restarted.get_slot("language") == "uk" and restarted.get_slot("alias") == "Olena"
    assert restarted.active_loop_name == "handover_form"
    assert restarted.latest_message.text == MARKER
    if raw is not None:
        assert raw.count(sender) == 1
        assert "passport" not in raw.blob(sender) and "Olena" not in raw.blob(sender), "encrypted at rest"


async def test_a_quick_exit_leaves_nothing_in_the_raw_store(place):
    open_backend, _, raw = place
    sender = uuid.uuid4().hex
    store = store_on(open_backend())
    for _ in range(3):  # several saves: several versions went through SQLite's log
        await store.save(conversation(sender))
    blob = raw.blob(sender) if raw else ""
    assert await store.delete(sender)
    assert await store.retrieve(sender) is None
    assert sender not in list(await store.keys())
    if raw is not None:
        assert raw.count(sender) == 0
        assert not raw.files_hold(blob[20:80]), "no copy left in the database file or its log"
    assert not await store.delete(sender), "deleting twice finds nothing"


@pytest.mark.parametrize("place", ["sqlite", "postgresql", "memory"], indirect=True)
async def test_an_idle_conversation_expires(place):
    """(Redis expires keys itself: the time to live of its keys is checked below.)"""
    open_backend, clock, raw = place
    sender, other = uuid.uuid4().hex, uuid.uuid4().hex
    store = store_on(open_backend())
    await store.save(conversation(sender))
    clock.advance(TTL - 10)
    await store.save(conversation(other))
    assert await store.retrieve(sender) is not None
    clock.advance(20)
    assert await store.retrieve(sender) is None, "idle longer than the time to live"
    assert await store.retrieve(other) is not None
    if raw is not None:
        assert raw.count(sender) == 0, "an expired row is deleted, not only hidden"


async def test_redis_keys_carry_the_time_to_live(redis_client):
    prefix = f"test-conversation-{uuid.uuid4().hex[:8]}:"
    sender = uuid.uuid4().hex
    try:
        await store_on(RedisState(redis_client, TTL, prefix=prefix)).save(conversation(sender))
        assert 0 < redis_client.ttl(prefix + sender) <= TTL
    finally:
        redis_client.delete(prefix + sender)


async def test_a_database_sweeps_idle_conversations_nobody_comes_back_to(db_engine):
    clock = Clock()
    backend = DatabaseState(db_engine, TTL, clock=lambda: clock.wall)
    gone = uuid.uuid4().hex
    await store_on(backend).save(conversation(gone))
    clock.advance(TTL + 120)
    await store_on(backend).save(conversation(uuid.uuid4().hex))  # a save sweeps, at most once a minute
    assert RawDatabase(db_engine, None).count(gone) == 0


async def test_state_under_another_key_is_dropped_not_a_crash(place):
    open_backend, _, raw = place
    sender = uuid.uuid4().hex
    await store_on(open_backend(), key="a" * 32).save(conversation(sender))
    assert await store_on(open_backend(), key="b" * 32).retrieve(sender) is None
    if raw is not None:
        assert raw.count(sender) == 0
