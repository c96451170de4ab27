"""Issue 17, as a new user tried it: start the handover questions, answer three, restart the
assistant (the Rasa server killed and brought back, a new bot process), go on from the fourth
question in the same language; then erase, and the store holds nothing of the conversation."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import time

import pytest

from app.bot_runtime import BotRuntime
from bot.console import ConsoleChat
from bot.engine import EngineClient
from core import payloads
from core.i18n import tr
from tests.conftest import Chat
from tests.conversations.test_handover import REQUESTS, answer


def rows_of(settings, pseudonym: str) -> int:
    """Rows of this conversation in the raw SQLite file of the instance."""
    with sqlite3.connect(settings.instance_dir / "assistant.db") as connection:
        query = "SELECT count(*) FROM conversation_state WHERE conversation = ?"
        return connection.execute(query, (pseudonym,)).fetchone()[0]


async def engine_back(settings, stack, killed: int) -> None:
    """Wait until a new Rasa server has replaced the killed one and has its model."""
    client = EngineClient(settings.rasa_url, settings.rasa_token, timeout=20)
    deadline = time.monotonic() + settings.engine_start_timeout + 30
    try:
        while time.monotonic() < deadline:
            if stack.pids.get("engine") not in (None, killed) and await client.is_ready():
                return
            await asyncio.sleep(0.5)
    finally:
        await client.close()
    pytest.fail("the Rasa server did not come back")


async def test_the_handover_questions_go_on_after_a_restart_in_the_same_language(
    console, settings, engine, stores
):
    if "engine" not in engine.pids:
        pytest.skip("the engine was already running: not started by this test session")
    person = Chat(console, safe=True)
    assert (await person.last(REQUESTS["fr"])).text == tr("fr", "handover.ask.minor")
    await person.last(answer("no"))
    assert (await person.last(answer("ccem"))).text == tr("fr", "handover.ask.level")
    assert (await person.last(answer("contact"))).text == tr("fr", "handover.ask.alias")
    pseudonym = person.pseudonym
    assert rows_of(settings, pseudonym) == 1, "the conversation is in the database, not in memory"

    killed = engine.pids["engine"]
    os.kill(killed, signal.SIGKILL)  # the Rasa server dies without a chance to save anything
    await engine_back(settings, engine, killed)
    runtime = BotRuntime.build(settings, flood_control=False)  # and a new bot process
    restarted = ConsoleChat(runtime.pipeline)
    runtime.attach(restarted.channel)
    runtime.start_background()
    try:
        again = Chat(restarted)
        again.person = person.person
        assert (await again.last("Sam")).text == tr("fr", "handover.ask.contact"), "the fourth question"
        assert (await again.last(answer("phone"))).text == tr("fr", "handover.ask.phone")
        await restarted.exchange(again.person, payloads.ERASE, button=True)
        await runtime.pipeline.exits.engine_forgot(pseudonym, 20)  # the engine is told in the background
        assert rows_of(settings, pseudonym) == 0, "erased: nothing of the conversation is left"
    finally:
        await runtime.stop_background()
