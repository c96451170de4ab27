"""Run the real PTB application against the local Bot API stand-in."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram.ext import Application

from app.config import Settings
from bot.conversation import ConversationService
from bot.telegram_channel import build_application
from storage.exit_words import ExitWords
from storage.message_ledger import MessageLedger
from storage.stores import Stores
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.ptb import polling


@asynccontextmanager
async def running_bot(
    api: FakeBotAPI,
    settings: Settings,
    service: ConversationService,
    ledger: MessageLedger | None = None,
    exit_words: ExitWords | None = None,
    handover: Stores | None = None,
) -> AsyncIterator[Application]:
    """Start polling the stand-in with the production application; stop cleanly afterwards."""
    local = dataclasses.replace(
        settings,
        telegram_token=api.token,
        telegram_base_url=api.base_url,
        telegram_base_file_url=api.base_file_url,
    )
    async with polling(build_application(local, service, ledger, exit_words, handover)) as application:
        yield application


def button_payloads(params: dict) -> list[str]:
    """Callback data of an inline keyboard in recorded sendMessage params."""
    markup = params.get("reply_markup") or {}
    return [button["callback_data"] for row in markup.get("inline_keyboard", []) for button in row]
