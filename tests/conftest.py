"""Shared fixtures: settings on test ports, the real engine (trained model), chats."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest

from app.bot_runtime import BotRuntime
from app.config import Settings, load_settings
from app.processes import EngineStack
from app.training import model_is_current
from bot.console import ConsoleChat
from bot.turn.inputs import Person
from core import payloads
from core.screens import Screen

# No process started by the tests reports to Rasa (they inherit this environment).
os.environ["RASA_TELEMETRY_ENABLED"] = "false"

# Ports of the engine the tests start; a second checkout testing at the same time sets its own.
TEST_PORTS = {
    "RASA_PORT": os.environ.get("TEST_RASA_PORT", "15005"),
    "ACTIONS_PORT": os.environ.get("TEST_ACTIONS_PORT", "15055"),
}


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for the test session: own ports, instance folder and log folder."""
    os.environ.update(TEST_PORTS)
    os.environ["INSTANCE_DIR"] = str(tmp_path_factory.mktemp("instance"))
    os.environ["LOG_DIR"] = str(tmp_path_factory.mktemp("logs"))
    os.environ["ENGINE_TIMEOUT"] = "20"  # generous: CI machines are small
    os.environ.pop("TELEGRAM_BOT_TOKEN", None)
    return load_settings()


@pytest.fixture(scope="session")
async def engine(settings: Settings) -> AsyncIterator[EngineStack]:
    """The real Rasa server and action server, running the trained model."""
    if not model_is_current(settings.model_path):
        pytest.fail("the model is missing or outdated: run `make test` (it trains when needed)")
    stack = EngineStack(settings)
    await stack.ensure_running()
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
async def console(settings: Settings, engine: EngineStack) -> AsyncIterator[ConsoleChat]:
    """The turn pipeline of a console runtime on the running engine (no flood control)."""
    runtime = BotRuntime.build(settings, flood_control=False)
    chat = ConsoleChat(runtime.pipeline)
    runtime.attach(chat.channel)
    runtime.start_background()
    yield chat
    await runtime.stop_background()


class Chat:
    """One person talking to the assistant through the turn pipeline, on the console channel."""

    def __init__(self, console: ConsoleChat, client_language: str | None = None, safe: bool = False) -> None:
        self.console = console
        self.person = Person("test", uuid.uuid4().hex, client_language)
        self.declare_safe = safe  # answer the safety question up front, as a returning person would
        self.erased = 0

    @property
    def pseudonym(self) -> str:
        """The person's pseudonym, as storage and the engine know them."""
        return self.console.pipeline.pseudonym(self.person)

    async def say(self, text: str) -> list[Screen]:
        """Send a text (or a payload typed as text) and return the replies."""
        if self.declare_safe:
            self.declare_safe = False
            await self.console.exchange(self.person, payloads.safety_answer("safe"), button=True)
        screens, erased = await self.console.exchange(self.person, text)
        self.erased += erased
        return screens

    async def press(self, payload: str) -> list[Screen]:
        """Press a button carrying this payload."""
        screens, erased = await self.console.exchange(self.person, payload, button=True)
        self.erased += erased
        return screens

    async def last(self, text: str) -> Screen:
        """The last reply to a message."""
        screens = await self.say(text)
        assert screens, "no reply"
        return screens[-1]


@pytest.fixture
def chat(console: ConsoleChat):
    """A factory of fresh conversations."""
    return lambda client_language=None, safe=False: Chat(console, client_language, safe)
