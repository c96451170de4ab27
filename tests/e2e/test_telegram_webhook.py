"""Webhook mode: the listener registers itself and only accepts updates with the secret token."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import socket

import httpx

from app.bot_runtime import BotRuntime
from bot.telegram.application import ALLOWED_UPDATES, build_application
from bot.telegram.webhook import serve_webhook
from core.i18n import tr
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.ports import free_port

SECRET = "webhook-secret-for-tests"


def text_update(update_id: int, user_id: int, text: str) -> dict:
    user = {"id": user_id, "is_bot": False, "first_name": "Test", "language_code": "en"}
    message = {
        "message_id": 1,
        "date": 0,
        "chat": {"id": user_id, "type": "private"},
        "from": user,
        "text": text,
    }
    return {"update_id": update_id, "message": message}


async def test_webhook_registers_and_rejects_updates_without_the_secret(settings, engine):
    async with FakeBotAPI() as api, webhook_bot(settings, api) as port:
        registered = (await api.wait_for("setWebhook"))[0].params
        assert registered["url"] == "https://assistant.example.org/hook"
        assert registered["secret_token"] == SECRET
        async with httpx.AsyncClient(timeout=30) as client:
            forged = await client.post(f"http://127.0.0.1:{port}/", json=text_update(1, 5150, "hello"))
            assert forged.status_code == 403
            api.mark()
            genuine = await client.post(
                f"http://127.0.0.1:{port}/",
                json=text_update(2, 5150, "/menu"),
                headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            )
            assert genuine.status_code == 200
            # Answered before the acknowledgement: an instance killed earlier lets Telegram retry.
            (reply,) = api.sent_messages()
            assert tr("en", "menu.title") in reply["text"]


async def test_an_update_answered_once_is_not_answered_again_when_telegram_repeats_it(settings, engine):
    shared = dataclasses.replace(settings, redis_url="redis://127.0.0.1:6379/5")
    update = text_update(900_000 + free_port(), 5151, "/menu")
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with FakeBotAPI() as api, webhook_bot(shared, api) as port:
        await api.wait_for("setWebhook")
        async with httpx.AsyncClient(timeout=30) as client:
            first = await client.post(f"http://127.0.0.1:{port}/", json=update, headers=headers)
            repeated = await client.post(f"http://127.0.0.1:{port}/", json=update, headers=headers)
        assert first.status_code == repeated.status_code == 200
        assert len(api.sent_messages()) == 1, "the repeat of a handled update gets no second answer"


@contextlib.asynccontextmanager
async def webhook_bot(settings, api: FakeBotAPI):
    """Our webhook listener on a free port, for the stand-in Bot API; stopped afterwards."""
    port = free_port()
    local = dataclasses.replace(
        settings,
        telegram_token=api.token,
        telegram_base_url=api.base_url,
        telegram_base_file_url=api.base_file_url,
        webhook_url="https://assistant.example.org/hook",
        webhook_port=port,
        webhook_secret=SECRET,
    )
    application = build_application(BotRuntime.build(local))
    serving = asyncio.ensure_future(serve_webhook(application, local, ALLOWED_UPDATES))
    try:
        await wait_for_port(port)
        yield port
    finally:
        serving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await serving


async def wait_for_port(port: int) -> None:
    for _ in range(200):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        await asyncio.sleep(0.05)
    raise AssertionError("the webhook listener did not start")
