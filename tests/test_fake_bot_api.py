"""Prove that FakeBotAPI works as a Telegram Bot API stand-in for a real PTB Application."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.support.fake_bot_api import FakeBotAPI
from tests.support.ptb import polling

USER_ID = 4242
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("OK", callback_data="ok")]])
MEDIA = filters.PHOTO | filters.VOICE | filters.Sticker.ALL | filters.LOCATION | filters.Document.ALL


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply "echo" silently, with an inline keyboard."""
    await update.message.reply_text("echo", disable_notification=True, reply_markup=KEYBOARD)


async def describe_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the kind of media received, without downloading it."""
    message = update.message
    kinds = ("photo", "voice", "sticker", "location", "document")
    kind = next(k for k in kinds if getattr(message, k))
    await message.reply_text(f"got {kind}")


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the callback query and edit the message that carried the button."""
    query = update.callback_query
    await query.answer()
    await query.edit_message_text(f"pressed {query.data}")


def build_app(api: FakeBotAPI) -> Application:
    """A PTB Application pointed at the fake server."""
    app = (
        Application.builder().token(api.token).base_url(api.base_url).base_file_url(api.base_file_url).build()
    )
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(MessageHandler(MEDIA, describe_media))
    app.add_handler(CallbackQueryHandler(on_button))
    return app


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    """A started fake Bot API server."""
    async with FakeBotAPI(token="123:TEST") as fake:
        yield fake


@pytest.fixture
async def app(api: FakeBotAPI) -> AsyncIterator[Application]:
    """A PTB Application polling the fake server, shut down cleanly afterwards."""
    async with polling(build_app(api)) as application:
        yield application


async def test_echo_and_callback_query(api: FakeBotAPI, app: Application) -> None:
    """A text gets a silent echo; pressing its button is answered and edits the message."""
    api.mark()
    incoming_id = api.send_text(USER_ID, "bonjour")

    [call] = await api.wait_for("sendMessage", timeout=5)
    assert call.params["chat_id"] == USER_ID
    assert call.params["disable_notification"] is True
    assert call.params["text"] == "echo"
    assert call.params["reply_markup"] == {"inline_keyboard": [[{"text": "OK", "callback_data": "ok"}]]}
    assert api.sent_messages(USER_ID) == [call.params]
    reply = api.last_bot_message(USER_ID)
    assert reply is not None and reply["message_id"] == incoming_id + 1

    query_id = api.press_button(USER_ID, "ok")
    [answer] = await api.wait_for("answerCallbackQuery", timeout=5)
    assert answer.params["callback_query_id"] == query_id
    await api.wait_for("editMessageText", timeout=5)
    edited = api.message(USER_ID, reply["message_id"])
    assert edited is not None and edited["text"] == "pressed ok"
    assert "reply_markup" not in edited


async def test_startup_calls_are_recorded(api: FakeBotAPI, app: Application) -> None:
    """initialize() calls getMe, start_polling() deletes the webhook and long-polls."""
    await api.wait_for("getUpdates", timeout=5)
    methods = [call.method for call in api.calls]
    assert methods.index("getMe") < methods.index("deleteWebhook") < methods.index("getUpdates")
    assert app.bot.username == "test_bot"
    assert app.bot.id == 123


async def test_media_is_parsed_and_never_downloaded(api: FakeBotAPI, app: Application) -> None:
    """Every media helper yields an update PTB parses; nothing is fetched under /file/."""
    api.mark()
    for send in (api.send_photo, api.send_voice, api.send_sticker):
        send(USER_ID)
    api.send_location(USER_ID)
    api.send_document(USER_ID)

    await api.wait_for("sendMessage", count=5, timeout=5)
    texts = [params["text"] for params in api.sent_messages(USER_ID)]
    assert texts == [
        "got photo",
        "got voice",
        "got sticker",
        "got location",
        "got document",
    ]
    assert api.files_requested == []
    assert api.calls_of("getFile") == []


async def test_command_has_bot_command_entity(api: FakeBotAPI) -> None:
    """A "/start" text carries a bot_command entity covering the command word."""
    api.send_text(USER_ID, "/start payload")
    entities = api.updates[-1]["message"]["entities"]
    assert entities == [{"type": "bot_command", "offset": 0, "length": 6}]


async def test_bot_methods_roundtrip(api: FakeBotAPI) -> None:
    """Commands, getFile downloads and deletion work through a plain PTB Bot."""
    bot = Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url)
    async with bot:
        await bot.set_my_commands([BotCommand("start", "Start")], language_code="fr")
        commands = await bot.get_my_commands(language_code="fr")
        file = await bot.get_file("some-file-id")
        content = await file.download_as_bytearray()
        assert await bot.delete_messages(USER_ID, [1, 2])
    assert [command.command for command in commands] == ["start"]
    assert api.files_requested == ["documents/some-file-id"]
    assert bytes(content).startswith(b"fake content")
    assert api.calls_of("deleteMessages")[0].params["message_ids"] == [1, 2]


async def test_wait_for_timeout_reports_calls(api: FakeBotAPI) -> None:
    """wait_for fails with a summary of what was recorded since the mark."""
    api.mark()
    with pytest.raises(AssertionError, match="sendMessage") as excinfo:
        await api.wait_for("sendMessage", timeout=0.05)
    assert "Recorded since mark: 0 calls" in str(excinfo.value)


async def test_faults_answer_like_telegram_then_heal(api: FakeBotAPI) -> None:
    """A 429 with retry_after, then a server error, then normal answers: as PTB sees them."""
    from telegram.error import NetworkError, RetryAfter

    from bot.telegram.channel import retry_after_seconds

    api.fail("sendMessage", status=429, retry_after=3, times=1)
    bot = Bot(api.token, base_url=api.base_url)
    async with bot:
        with pytest.raises(RetryAfter) as limited:
            await bot.send_message(USER_ID, "x")
        api.fail("sendMessage", status=502, times=1)
        with pytest.raises(NetworkError):
            await bot.send_message(USER_ID, "x")
        sent = await bot.send_message(USER_ID, "x")
    assert retry_after_seconds(limited.value) == 3
    assert sent.text == "x" and len(api.failed) == 2 and len(api.calls_of("sendMessage")) == 1
