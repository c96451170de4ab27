"""Run the real PTB application, on a real runtime, against the local Bot API stand-in."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from app.bot_runtime import BotRuntime
from app.config import Settings
from bot.telegram.application import build_application
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.ptb import polling


def on_stand_in(api: FakeBotAPI, settings: Settings) -> Settings:
    """The settings with Telegram pointed at the stand-in."""
    return dataclasses.replace(
        settings,
        telegram_token=api.token,
        telegram_base_url=api.base_url,
        telegram_base_file_url=api.base_file_url,
    )


@asynccontextmanager
async def running_bot(
    api: FakeBotAPI, settings: Settings, flood_control: bool = True
) -> AsyncIterator[BotRuntime]:
    """Start polling the stand-in with the production application; stop cleanly afterwards."""
    runtime = BotRuntime.build(on_stand_in(api, settings), flood_control=flood_control)
    async with polling(build_application(runtime)):
        yield runtime


def telegram_pseudonym(runtime: BotRuntime, user_id: int) -> str:
    """The pseudonym of a Telegram user, as the runtime computes it."""
    return runtime.hasher.pseudonym("telegram", user_id)


def button_payloads(params: dict) -> list[str]:
    """Callback data of an inline keyboard in recorded sendMessage params."""
    markup = params.get("reply_markup") or {}
    return [button["callback_data"] for row in markup.get("inline_keyboard", []) for button in row]
