"""Webhook mode: the listener registers itself and only accepts updates with the secret token."""

from __future__ import annotations

import dataclasses
import socket

import httpx

from app.bot_runtime import BotRuntime
from bot.telegram.application import build_application, webhook_options
from core.i18n import tr
from tests.support.fake_bot_api import FakeBotAPI

SECRET = "webhook-secret-for-tests"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    async with FakeBotAPI() as api:
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
        await application.initialize()
        await application.start()
        await application.updater.start_webhook(**webhook_options(local))
        try:
            registered = (await api.wait_for("setWebhook"))[0].params
            assert registered["url"] == "https://assistant.example.org/hook"
            assert registered["secret_token"] == SECRET
            async with httpx.AsyncClient() as client:
                forged = await client.post(f"http://127.0.0.1:{port}/", json=text_update(1, 5150, "hello"))
                assert forged.status_code == 403
                api.mark()
                genuine = await client.post(
                    f"http://127.0.0.1:{port}/",
                    json=text_update(2, 5150, "/menu"),
                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                )
                assert genuine.status_code == 200
            reply = (await api.wait_for("sendMessage"))[0].params
            assert tr("en", "menu.title") in reply["text"]
            assert len(api.sent_messages()) == 1  # the forged update got nothing
        finally:
            await application.updater.stop()
            await application.stop()
            await application.shutdown()
