"""The Telegram channel end to end: PTB polling a local Bot API stand-in, the real engine behind."""

from __future__ import annotations

import dataclasses
import socket

import pytest

from core import payloads
from core.common_screens import menu_buttons
from core.i18n import tr
from core.languages import SUPPORTED
from core.screens import Screen
from tests.e2e.telegram_harness import button_payloads, running_bot
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.fake_engine import FakeEngine

USER = 424242


@pytest.fixture
async def api():
    async with FakeBotAPI() as stand_in:
        yield stand_in


@pytest.fixture
def telegram_settings(settings, engine):
    """The session's settings, once the real engine runs."""
    return settings


async def test_start_language_menu_and_a_button_answer(api, settings, telegram_settings):
    async with running_bot(api, telegram_settings):
        api.mark()
        api.send_text(USER, "/start", language_code="en")
        greeting = (await api.wait_for("sendMessage"))[0].params
        assert greeting["text"] == tr("en", "start.greeting")
        assert button_payloads(greeting) == [payloads.choose_language(code) for code in SUPPORTED]

        api.mark()
        api.press_button(USER, payloads.choose_language("fr"))
        menu = (await api.wait_for("sendMessage"))[0].params
        await api.wait_for("answerCallbackQuery")
        assert tr("fr", "menu.title") in menu["text"]
        assert button_payloads(menu) == [b.payload for b in menu_buttons("fr")]

        api.mark()
        api.press_button(USER, payloads.EMERGENCY)
        answer = (await api.wait_for("sendMessage"))[0].params
        assert answer["text"].startswith(tr("fr", "rights.numbers.text"))
        assert all(number in answer["text"] for number in ("17", "112", "114", "119", "3919", "116 006"))

    sends = api.sent_messages()
    assert len(sends) == 3
    assert [params.get("protect_content") for params in sends] == [False, False, True]  # details protected
    assert all(params["disable_notification"] is True for params in sends)
    assert all(params["chat_id"] == USER for params in sends)


@pytest.mark.parametrize("kind", ["photo", "voice", "sticker", "location", "document"])
async def test_media_gets_a_clear_reply_and_is_never_fetched(api, settings, telegram_settings, kind):
    async with running_bot(api, telegram_settings):
        api.mark()
        getattr(api, f"send_{kind}")(USER, language_code="en")
        reply = (await api.wait_for("sendMessage"))[0].params
    assert reply["text"] == tr("en", "media.unsupported")
    assert reply["disable_notification"] is True
    assert not api.files_requested
    assert not [call for call in api.calls if call.method in {"getFile", "forwardMessage", "copyMessage"}]


async def test_engine_stopped_still_answers_with_the_static_fallback(api, settings, telegram_settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_port = sock.getsockname()[1]
    stopped = dataclasses.replace(settings, rasa_port=dead_port)
    async with running_bot(api, stopped):
        api.mark()
        api.send_text(USER, "je dors dehors ce soir")
        reply = (await api.wait_for("sendMessage"))[0].params
    assert reply["text"].startswith(tr("fr", "fallback.engine_unavailable"))
    assert "112" in reply["text"] and "119" in reply["text"]
    assert button_payloads(reply) == [b.payload for b in menu_buttons("fr")]
    assert reply["disable_notification"] is True


async def test_long_screens_are_split_with_buttons_on_the_last_part(api, settings):
    long_text = "\n\n".join(["Une ligne d'information assez longue. " * 20] * 8)
    screen = Screen(long_text, "fr", menu_buttons("fr"))
    async with FakeEngine(replies=[{"custom": screen.to_payload()}]) as fake:
        local = dataclasses.replace(settings, rasa_port=int(fake.url.rsplit(":", 1)[1]))
        async with running_bot(api, local):
            api.mark()
            api.send_text(USER, "bonjour")
            parts = [call.params for call in await api.wait_for("sendMessage", count=2)]
    assert all(len(part["text"]) <= 4096 for part in parts)
    assert "reply_markup" not in parts[0] or not button_payloads(parts[0])
    assert button_payloads(parts[-1]) == [b.payload for b in menu_buttons("fr")]


async def test_a_flood_is_slowed_down_with_a_reply(api, settings, telegram_settings):
    flood_settings = dataclasses.replace(settings, flood_max_messages=3)
    async with running_bot(api, flood_settings):
        api.mark()
        for index in range(6):
            api.send_text(USER + 1, f"bonjour {index}")
        await api.wait_for("sendMessage", count=4, timeout=30)
    texts = [params["text"] for params in api.sent_messages()]
    assert texts.count(tr("fr", "flood.slow_down")) == 1


async def test_a_labour_inspector_ticks_four_items_in_place_and_gets_next_steps(
    api, settings, telegram_settings
):
    from actions.worker import payload
    from core.worker import load

    inspector = USER + 7
    async with running_bot(api, telegram_settings):
        api.mark()
        api.send_text(inspector, "/menu_professional", language_code="en")
        await api.wait_for("sendMessage")
        api.mark()
        api.press_button(inspector, payload("worker_profile", p="labour_inspection"))
        await api.wait_for("sendMessage")
        api.mark()
        api.press_button(inspector, payload("worker_form", f="labour"))
        await api.wait_for("sendMessage")  # the checklist: every press below is on it
        items = load().forms["labour"][:4]
        api.mark()
        for item in items:
            api.press_button(inspector, payload("worker_toggle", i=item.id))
        edits = await api.wait_for("editMessageReplyMarkup", count=4)
        assert not api.calls_of("sendMessage", since_mark=True)  # no flood of new messages
        last_markup = edits[-1].params["reply_markup"]["inline_keyboard"]
        assert sum(button["text"].startswith("☑") for row in last_markup for button in row) == 4
        api.mark()
        api.press_button(inspector, payload("worker_done"))
        summary = [call.params["text"] for call in await api.wait_for("sendMessage", count=2)]
    assert "4" in summary[0]
    assert summary[1] == tr("en", "worker.profile.labour_inspection.next")
    assert "17" in summary[1]


async def test_arabic_replies_are_laid_out_right_to_left(api, settings, telegram_settings):
    from core.bidi import LRI, PDI, RLM, strip_marks

    async with running_bot(api, telegram_settings):
        api.mark()
        api.send_text(USER + 11, "ما عنديش فين ننعس الليلة", language_code="ar")
        reply = (await api.wait_for("sendMessage"))[0].params
    lines = [line for line in reply["text"].split("\n") if line]
    assert all(line.startswith(RLM) for line in lines)
    assert f"{LRI}115{PDI}" in reply["text"], "numbers keep their order inside Arabic text"
    assert strip_marks(reply["text"]).startswith(tr("ar", "rights.shelter.text").split("\n")[0])
