"""A bot runtime for tests: a fresh SQLite database, any engine (real or stand-in), a console chat."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from app.bot_runtime import BotRuntime
from app.config import Settings
from bot.console import ConsoleChat


def engine_port(url: str) -> int:
    """The port of an engine URL such as http://127.0.0.1:1234."""
    return int(url.rsplit(":", 1)[1])


def local_settings(
    settings: Settings, folder: Path, engine_url: str | None = None, **changes: Any
) -> Settings:
    """Settings with a database of their own, and the engine at `engine_url` when given."""
    if engine_url is not None:
        changes["rasa_port"] = engine_port(engine_url)
    return dataclasses.replace(settings, database_url=f"sqlite:///{folder}/assistant.db", **changes)


@asynccontextmanager
async def runtime_with_console(
    settings: Settings, flood_control: bool = False
) -> AsyncIterator[tuple[BotRuntime, ConsoleChat]]:
    """A runtime with a console channel attached and its background tasks running."""
    runtime = BotRuntime.build(settings, flood_control=flood_control)
    chat = ConsoleChat(runtime.pipeline)
    runtime.attach(chat.channel)
    runtime.start_background()
    try:
        yield runtime, chat
    finally:
        await runtime.stop_background()


@asynccontextmanager
async def console_runtime(settings: Settings, flood_control: bool = False) -> AsyncIterator[ConsoleChat]:
    """The console chat of such a runtime."""
    async with runtime_with_console(settings, flood_control) as (_, chat):
        yield chat
