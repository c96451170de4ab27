"""The safety promises of the turn pipeline on Telegram, each reproduction of the audit as a test.

The production application runs against the Bot API stand-in, on a fresh SQLite database, with
a stand-in engine (the pipeline's guarantees must hold whatever the engine answers); the real
engine is exercised by test_handover_telegram.py and the conversation tests.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest

from app.bot_runtime import BotRuntime
from core.handover import Draft
from core.handover_messages import REPLY_PAYLOAD
from core.i18n import tr
from core.screens import Directive, Screen
from tests.e2e.telegram_harness import running_bot, telegram_pseudonym
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.fake_engine import FakeEngine
from tests.support.inbox import enroll_group
from tests.support.pipeline import local_settings

USER = 880011
GROUP = -100880011
MEMBER = 990011
OK_SCREEN = {"custom": Screen("ok", "en", intent="greet").to_payload()}


@dataclass
class Scene:
    """The stand-in, the engine stand-in and the running bot of one test."""

    api: FakeBotAPI
    engine: FakeEngine
    runtime: BotRuntime
    database: Path

    @property
    def pseudonym(self) -> str:
        return telegram_pseudonym(self.runtime, USER)

    def sent_since_mark(self, chat: int) -> list[dict]:
        """Every message sent to a chat since the mark."""
        calls = self.api.calls_of("sendMessage", since_mark=True)
        return [call.params for call in calls if call.params["chat_id"] == chat]

    def to_person(self) -> list[dict]:
        """Every message sent to the person since the mark."""
        return self.sent_since_mark(USER)

    def to_group(self) -> list[dict]:
        """Every message posted in the group since the mark."""
        return self.sent_since_mark(GROUP)

    async def say(self, text: str) -> list[dict]:
        """The person types a text; what the bot sends back to them."""
        self.api.mark()
        self.api.send_text(USER, text, language_code="en")
        await self.settle()
        return self.to_person()

    async def press(self, data: str) -> list[dict]:
        """The person presses a button; what the bot sends back to them."""
        self.api.mark()
        self.api.press_button(USER, data, language_code="en")
        await self.api.wait_for("answerCallbackQuery")
        await self.settle()
        return self.to_person()

    async def settle(self, seconds: float = 0.6) -> None:
        """Let the update reach the pipeline, and the pipeline finish with this person."""
        await asyncio.sleep(seconds)
        await self.runtime.pipeline.idle(self.pseudonym)

    async def accepted_request(self, times: str = "any", level: str = "confidential") -> str:
        """A request of the person, noticed in the group and accepted in the inbox: its reference."""
        stores = self.runtime.stores
        if stores.directory.group_of("ruelle") is None:
            enroll_group(stores.directory, "ruelle", GROUP)
        draft = Draft("ruelle", level, "en", "13", alias="Sam", code="kite", message="help", times=times)
        reference = stores.handovers.create(self.pseudonym, draft, uuid.uuid4().hex).reference
        stores.handovers.attach_chat(self.pseudonym, USER)
        self.api.mark()
        self.runtime.wake_delivery()
        ours = lambda p: reference in p["text"]  # noqa: E731
        await self.api.wait_for("sendMessage", predicate=ours, timeout=10)
        accepted = stores.handovers.answer(reference, "ruelle", "inbox:1", accept=True, account_id=1)
        assert accepted == "accepted"
        return reference

    async def association_says(self, text: str, reference: str) -> None:
        """A member writes to the person in the inbox (the same store call as the inbox's form)."""
        self.api.mark()
        assert self.runtime.stores.handovers.reply(reference, "ruelle", 1, text) == "queued"
        self.runtime.wake_delivery()


@pytest.fixture
async def scene(settings, tmp_path) -> AsyncIterator[Scene]:
    async with FakeBotAPI() as api, FakeEngine(replies=[OK_SCREEN]) as engine:
        local = local_settings(
            settings, tmp_path, engine.url, delivery_sweep_seconds=0.2, erase_sweep_seconds=0.5
        )
        async with running_bot(api, local) as runtime:
            yield Scene(api, engine, runtime, tmp_path / "assistant.db")


async def test_c1_a_quick_exit_never_releases_held_association_messages(scene):
    reference = await scene.accepted_request(times="first")
    await scene.association_says("We can meet you at the station", reference)
    await scene.settle(1.0)
    assert scene.to_person() == [], "held until the person writes"
    scene.api.mark()
    scene.api.send_text(USER, "/exit", language_code="en")
    await scene.settle(1.5)  # several delivery rounds
    assert scene.to_person() == [], "nothing held is sent during or after the exit"
    assert [p["text"] for p in scene.to_group()] == [tr("fr", "handover.group.paused", reference=reference)]
    assert scene.api.remaining_ids(USER) == set()
    scene.api.mark()
    scene.api.send_text(USER, "/exit", language_code="en")
    await scene.settle(1.5)
    assert scene.to_person() == [] and scene.to_group() == [], "a second exit tells the group nothing"


async def test_c2_the_code_word_typed_for_the_association_is_a_quick_exit(scene):
    await scene.say("/codeword tulipe")
    reference = await scene.accepted_request()
    await scene.association_says("We can meet on Tuesday", reference)
    await scene.settle(1.0)
    assert await scene.press(REPLY_PAYLOAD)
    scene.api.mark()
    scene.api.send_text(USER, "Tulipe", language_code="en")
    await scene.settle(1.5)
    assert [p["text"] for p in scene.to_group()] == [tr("fr", "handover.group.paused", reference=reference)]
    assert all("tulipe" not in p["text"].lower() for p in scene.api.sent_messages(GROUP))
    assert scene.to_person() == [] and scene.api.remaining_ids(USER) == set()
    assert not scene.engine.received or all("ulipe" not in str(r) for r in scene.engine.received)


async def test_c2_danger_typed_for_the_association_brings_the_numbers_and_never_reaches_it(scene):
    reference = await scene.accepted_request()
    await scene.association_says("We can meet on Tuesday", reference)
    await scene.settle(1.0)
    await scene.press(REPLY_PAYLOAD)
    replies = await scene.say("he is coming he will kill me help")
    assert len(replies) == 1 and "112" in replies[0]["text"] and "114" in replies[0]["text"]
    await scene.settle(1.0)
    assert all("kill" not in p["text"] for p in scene.api.sent_messages(GROUP)), "the group sees nothing"
    relayed_after = await scene.say("hello, is anyone there")
    assert relayed_after and relayed_after[0]["text"] != tr("en", "handover.reply.sent"), "the window closed"
    assert all("anyone" not in p["text"] for p in scene.api.sent_messages(GROUP))


async def test_h1_every_message_shown_is_in_the_ledger_with_its_auto_erase_time(scene):
    scene.engine.replies = [
        {
            "custom": Screen(
                "set", "en", erase_after=300, directives=frozenset({Directive.AUTO_ERASE_CHANGED})
            ).to_payload()
        }
    ]
    await scene.say("erase after five minutes")
    reference = await scene.accepted_request()
    await scene.association_says("x" * 4090, reference)
    await scene.settle(1.5)
    shown = scene.api.issued_ids(USER)
    recorded = {e.message_id: e for e in scene.runtime.stores.ledger.messages_of(scene.pseudonym)}
    assert len(shown) >= 4, "the setting, the accepted notice and a relay in two parts"
    assert shown <= set(recorded), f"not in the ledger: {sorted(shown - set(recorded))}"
    due = scene.runtime.stores.ledger.due(datetime(3000, 1, 1, tzinfo=timezone.utc))
    assert shown <= {entry.message_id for entry in due}, "every id carries the auto-erase time"
    scene.api.mark()
    scene.api.send_text(USER, "/exit", language_code="en")
    await scene.settle(1.0)
    assert scene.api.remaining_ids(USER) == set()


@pytest.mark.parametrize(
    ("status", "retry_after"), [(429, 2), (502, None)], ids=["rate-limit", "server-error"]
)
async def test_h2_refused_deletions_are_retried_until_done(scene, status, retry_after):
    for text in ("one", "two", "three"):
        await scene.say(text)
    scene.api.fail("deleteMessages", "deleteMessage", status=status, retry_after=retry_after, seconds=3)
    scene.api.mark()
    started = time.monotonic()
    scene.api.send_text(USER, "/exit", language_code="en")
    while scene.api.remaining_ids(USER) and time.monotonic() - started < 10:
        await asyncio.sleep(0.2)
    assert scene.api.remaining_ids(USER) == set(), "everything deleted within 10 s"
    assert scene.api.failed, "the stand-in did refuse the first deletions"
    assert scene.to_person() == []


@pytest.mark.parametrize("locked_for", [7, 30])
async def test_h3_a_locked_database_never_makes_an_exit_add_messages_or_skip_deletions(scene, locked_for):
    await scene.accepted_request()
    await scene.say("one")
    release = threading.Event()
    locked = threading.Event()

    def hold_the_lock() -> None:
        connection = sqlite3.connect(scene.database, timeout=1)
        connection.execute("BEGIN EXCLUSIVE")
        locked.set()
        release.wait(locked_for)
        connection.rollback()
        connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    locked.wait(5)
    try:
        await scene.say("two")  # its records cannot be written: kept in memory
        scene.api.mark()
        scene.api.send_text(USER, "/exit", language_code="en")
        await scene.settle(1.0)
        assert scene.to_person() == [], "no fallback, no notice: nothing added"
        assert scene.api.remaining_ids(USER) == set(), "what memory knew was deleted at once"
    finally:
        await asyncio.to_thread(holder.join)
    await asyncio.sleep(3)  # the maintenance task finishes the exit once the lock is gone
    assert scene.runtime.stores.ledger.messages_of(scene.pseudonym) == []
    (view,) = scene.runtime.stores.handovers.requests_of(scene.pseudonym)
    assert view.paused, "the request was paused once the database came back"
    assert scene.to_person() == []


async def test_m13_deletion_never_waits_for_the_engine_to_forget(scene):
    await scene.say("one")
    forgetting = asyncio.Event()

    async def slow_forget(sender: str) -> bool:
        forgetting.set()
        await asyncio.sleep(5)
        return True

    scene.runtime.engine.forget = slow_forget  # type: ignore[method-assign]
    scene.api.mark()
    started = time.monotonic()
    scene.api.send_text(USER, "/exit", language_code="en")
    await scene.api.wait_for("deleteMessages", timeout=3)
    assert time.monotonic() - started < 2
    await asyncio.wait_for(forgetting.wait(), 3)


async def test_l3_sends_are_retried_after_a_rate_limit_or_a_server_error(scene):
    scene.api.fail("sendMessage", status=429, retry_after=1, times=2)
    assert [p["text"] for p in await scene.say("hello")] == ["ok"]
    scene.api.fail("sendMessage", status=502, times=1)
    assert [p["text"] for p in await scene.say("hello again")] == ["ok"]


@pytest.mark.parametrize(
    "text",
    [
        "a\ud800b lone surrogate",
        '/menu{"a":' + "[" * 5000 + "]" * 5000 + "}",
        "long " * 2000,
        "\u202eevil\u2066 \x00\x07control\x1b[31m",
        "/handover_confirm{not json at all",
    ],
    ids=["surrogate", "deep-json", "10k", "bidi-controls", "broken-payload"],
)
async def test_l1_l2_any_input_is_answered_once_and_reaches_the_engine_clean(scene, text):
    assert len(await scene.say(text)) == 1
    (received,) = scene.engine.received
    sent = received["message"]
    assert len(sent) <= 1000 and not sent.startswith("/")
    assert not any(char in sent for char in "\ud800\u202e\u2066\x00\x07\x1b")


async def test_m3_beyond_the_flood_limit_danger_gets_the_numbers_without_the_engine(settings, tmp_path):
    async with FakeBotAPI() as api, FakeEngine(replies=[OK_SCREEN]) as engine:
        local = local_settings(settings, tmp_path, engine.url, flood_max_messages=2, flood_window_seconds=60)
        async with running_bot(api, local):
            api.mark()
            for index in range(4):
                api.send_text(USER, f"message {index}", language_code="en")
            api.send_text(USER, "they are going to kill me", language_code="en")
            await api.wait_for("sendMessage", count=4, timeout=10)
            await asyncio.sleep(0.5)
    texts = [p["text"] for p in api.sent_messages(USER)]
    assert texts[:2] == ["ok", "ok"] and texts[2] == tr("en", "flood.slow_down")
    assert "112" in texts[-1] and len(texts) == 4
    assert len(engine.received) == 2


@pytest.mark.parametrize("how", ["withdrawn", "declined"])
async def test_h5_the_groups_copy_loses_the_personal_details(scene, how):
    """The group's notice never holds the alias, the phone or the code phrase; withdrawn by the person,
    or declined in the inbox (passed on), it is still edited to say the request left."""
    stores = scene.runtime.stores
    enroll_group(stores.directory, "ruelle", GROUP)
    draft = Draft("ruelle", "contact", "en", "13", alias="Sam", phone="+33 6 12 34 56 78", code="violet kite")
    reference = stores.handovers.create(scene.pseudonym, draft, uuid.uuid4().hex).reference
    scene.api.mark()
    scene.runtime.wake_delivery()
    await scene.api.wait_for("sendMessage", predicate=lambda p: reference in p["text"], timeout=10)
    shown = scene.api.remaining_ids(GROUP)
    (request_id,) = [i for i in shown if reference in scene.api.message(GROUP, i)["text"]]
    notice = scene.api.message(GROUP, request_id)["text"]
    assert not any(secret in notice for secret in ("Sam", "+33", "violet kite"))
    scene.api.mark()
    if how == "withdrawn":
        stores.handovers.withdraw(scene.pseudonym)
    else:
        assert stores.handovers.answer(reference, "ruelle", "inbox:1", accept=False) == "declined"
    scene.runtime.wake_delivery()
    await scene.api.wait_for("editMessageText", predicate=lambda p: p["message_id"] == request_id, timeout=10)
    await asyncio.sleep(0.5)
    text = scene.api.message(GROUP, request_id)["text"]
    assert text == tr("fr", "handover.group.redacted", reference=reference)
    assert not any(secret in text for secret in ("Sam", "+33", "violet kite"))
