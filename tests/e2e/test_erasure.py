"""Quick exit and auto-erase on Telegram, end to end, with the real engine and a real database."""

from __future__ import annotations

import dataclasses
import datetime
import logging
import uuid
from pathlib import Path

import httpx
import pytest

from app.logging_setup import configure_logging
from app.runtime import build_stores
from bot.turn.channel import Deletion
from bot.turn.erasure import Eraser
from core import payloads
from rasa_components.auth import ENGINE_SECRET_HEADER
from tests.e2e.telegram_harness import running_bot, telegram_pseudonym
from tests.e2e.test_no_contents_in_logs import Recorder
from tests.support.fake_bot_api import FakeBotAPI

USER = 660055


@pytest.fixture
def api_factory():
    """Fresh Bot API stand-ins."""
    return FakeBotAPI


@pytest.fixture
def local(settings, tmp_path):
    """Settings with a fresh SQLite database for each test."""
    return dataclasses.replace(settings, database_url=f"sqlite:///{tmp_path}/assistant.db")


def deleted_ids(api: FakeBotAPI) -> set[int]:
    """Every message id the bot asked Telegram to delete."""
    ids: set[int] = set()
    for call in api.calls:
        if call.method == "deleteMessage":
            ids.add(int(call.params["message_id"]))
        elif call.method == "deleteMessages":
            ids.update(int(i) for i in call.params["message_ids"])
    return ids


async def tracker_left(settings, pseudonym: str) -> bool:
    """Whether the engine still held a conversation for the pseudonym (Rasa's HTTP API is off:
    the bot channel's "forget" says whether there was one, and removes it)."""
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{settings.rasa_url}/webhooks/bot/forget",
            json={"sender": pseudonym},
            headers={ENGINE_SECRET_HEADER: settings.rasa_token},
        )
    response.raise_for_status()
    return response.json()["existed"]


async def converse(api: FakeBotAPI, marker: str) -> None:
    """A short conversation with texts, buttons and a photo."""
    for action in (
        lambda: api.send_text(USER, "/start"),
        lambda: api.press_button(USER, payloads.choose_language("fr")),
        lambda: api.send_text(USER, f"je dors dehors ce soir {marker}"),
        lambda: api.press_button(USER, payloads.RIGHTS),
        lambda: api.send_photo(USER),
    ):
        api.mark()
        action()
        await api.wait_for("sendMessage")


async def test_quick_exit_erases_every_message_and_leaves_nothing_anywhere(api_factory, local, engine):
    marker = f"zq{uuid.uuid4().hex}"
    configure_logging(logging.INFO)
    recorder = Recorder()
    logging.getLogger().addHandler(recorder)
    try:
        async with api_factory() as api, running_bot(api, local) as runtime:
            await converse(api, marker)
            api.mark()
            exit_id = api.send_text(USER, "/exit")
            await api.wait_for("deleteMessages")
            pseudonym = telegram_pseudonym(runtime, USER)
            await runtime.pipeline.idle(pseudonym)
            exchanged = api.issued_ids(USER)
            assert exit_id in exchanged
            assert exchanged <= deleted_ids(api), f"not deleted: {sorted(exchanged - deleted_ids(api))}"
            assert not api.calls_of("sendMessage", since_mark=True)  # nothing left behind by default
            assert api.remaining_ids(USER) == set()  # the chat is empty
            left = await tracker_left(local, pseudonym)
    finally:
        logging.getLogger().removeHandler(recorder)
    assert not left  # the conversation is gone from the engine, not just emptied
    raw = Path(local.database_url.removeprefix("sqlite:///")).read_bytes()
    assert marker.encode() not in raw and str(USER).encode() not in raw
    assert not build_stores(local).ledger.messages_of(pseudonym)
    logs = "\n".join(recorder.lines) + "".join(
        p.read_text(errors="replace") for p in local.log_dir.glob("*.log")
    )
    assert marker not in logs


async def test_quick_exit_works_with_the_engine_down_and_can_leave_one_line(api_factory, local):
    stopped = dataclasses.replace(local, rasa_port=1, quick_exit_line="👍")
    async with api_factory() as api, running_bot(api, stopped):
        api.mark()
        api.send_text(USER, "bonjour")
        await api.wait_for("sendMessage")
        api.mark()
        api.press_button(USER, payloads.ERASE)
        sent = await api.wait_for("sendMessage")
    assert [call.params["text"] for call in sent] == ["👍"]
    assert api.remaining_ids(USER) == {max(api.issued_ids(USER))}  # only the innocuous line is left


async def test_auto_erase_deletes_when_due_even_after_a_restart(api_factory, local, engine):
    async with api_factory() as api:
        async with running_bot(api, local):
            api.mark()
            api.send_text(USER + 1, "/auto_erase")
            prompt = (await api.wait_for("sendMessage"))[0].params
            assert payloads.set_auto_erase(300) in str(prompt["reply_markup"])
            api.mark()
            api.press_button(USER + 1, payloads.set_auto_erase(300))
            await api.wait_for("sendMessage")
        # The bot has stopped: a new process with a new ledger on the same database.
        ledger = build_stores(local).ledger
        assert await Eraser(ledger, {"telegram": RecordingChannel()}).sweep() == 0  # nothing is due yet
        later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=6)
        swept = await Eraser(ledger, {"telegram": RecordingChannel()}, clock=lambda: later).sweep()
    assert swept == len(api.issued_ids(USER + 1))
    assert api.issued_ids(USER + 1) <= set(DELETED)


DELETED: list[int] = []


class RecordingChannel:
    """Stand-in for the Telegram channel of the restarted process: records what it deletes."""

    name = "telegram"

    async def delete(self, chat, message_ids):
        DELETED.extend(message_ids)
        return Deletion(done=frozenset(message_ids))


async def test_tried_as_a_new_user_watched_phone_screening_then_quick_exit(api_factory, local, engine):
    from actions.screening import payload

    user = USER + 2
    async with api_factory() as api, running_bot(api, local) as runtime:

        async def tap(data: str) -> dict:
            api.mark()
            api.press_button(user, data)
            return (await api.wait_for("sendMessage"))[-1].params

        api.mark()
        api.send_text(user, "/start")
        await api.wait_for("sendMessage")
        await tap(payloads.choose_language("en"))
        asked = await tap(payloads.SCREENING)
        assert "safely" in asked["text"]
        api.mark()
        api.press_button(user, payloads.safety_answer("watched"))  # one tap: the screening follows
        intro = (await api.wait_for("sendMessage", count=2))[-1].params
        assert intro["protect_content"] is True
        await tap(payload("screening_age", age="adult"))
        await tap(payload("screening_answer", answer="yes"))
        await tap(payload("screening_answer", answer="no"))
        api.mark()
        api.press_button(user, payloads.ERASE)
        await api.wait_for("deleteMessages")
        pseudonym = telegram_pseudonym(runtime, user)
        await runtime.pipeline.idle(pseudonym)
        assert api.remaining_ids(user) == set()  # the chat is empty
        assert api.issued_ids(user) <= deleted_ids(api)
        left = await tracker_left(local, pseudonym)
    assert not left
    assert not build_stores(local).ledger.messages_of(pseudonym)


async def test_a_chosen_code_word_erases_the_chat_and_is_never_kept_in_clear(api_factory, local, engine):
    user = USER + 3
    async with api_factory() as api, running_bot(api, local):
        api.mark()
        api.send_text(user, "bonjour")
        await api.wait_for("sendMessage")
        api.mark()
        command_id = api.send_text(user, "/codeword Tournesol")
        saved = (await api.wait_for("sendMessage"))[0].params
        assert "tournesol" not in saved["text"].lower()
        assert command_id in deleted_ids(api)  # the word never stays on screen
        api.mark()
        api.send_text(user, "tournesol !")
        await api.wait_for("deleteMessages")
        assert api.remaining_ids(user) == set()
    raw = Path(local.database_url.removeprefix("sqlite:///")).read_bytes()
    assert b"tournesol" not in raw.lower()


async def test_the_bot_presents_itself_neutrally(api_factory, local):
    unsafe = ["trafic", "traite", "victim", "exploit", "police", "plainte", "prostitu"]
    async with api_factory() as api, running_bot(api, local):
        name = (await api.wait_for("setMyName"))[0].params["name"]
        commands = await api.wait_for("setMyCommands", count=2)
    assert name == "Infos pratiques"
    descriptions = " ".join(str(call.params["commands"]) for call in commands).lower()
    assert "exit" in descriptions and not [word for word in unsafe if word in descriptions]
