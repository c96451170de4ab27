"""Browser fixtures: Debian's Chromium driven by Playwright, and the inbox served by its real
process (started and health-checked by the same supervisor as `make run`)."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from app.config import Settings
from app.processes import EngineStack
from app.runtime import build_stores
from storage.stores import Stores
from tests.support.ports import free_port

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def inbox_settings(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The session's keys, with a database and a port of this module's own."""
    folder = tmp_path_factory.mktemp("inbox-instance")
    port = free_port()
    return dataclasses.replace(
        settings, database_url=f"sqlite:///{folder / 'assistant.db'}", inbox_port=port, log_dir=folder
    )


@pytest.fixture(scope="module")
def inbox_stores(inbox_settings: Settings) -> Iterator[Stores]:
    found = build_stores(inbox_settings)
    yield found
    found.db.dispose()


@pytest.fixture(scope="module")
async def inbox_server(inbox_settings: Settings, inbox_stores: Stores) -> AsyncIterator[str]:
    """`python -m app inbox serve`, supervised and health-checked as `make run` does; its address."""
    stack = EngineStack(inbox_settings, roles=("inbox",))
    await stack.ensure_running()
    yield inbox_settings.inbox_url
    stack.stop()


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.fail("Debian's chromium is missing: `make setup` installs it (scripts/system-packages.sh)")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        await launched.close()


def webchat_settings(settings: Settings, folder: Path, **changes: object) -> Settings:
    """The session's keys, engine and database (the action server's, for handovers), with a port
    of this web chat's own."""
    return dataclasses.replace(settings, webchat_port=free_port(), log_dir=folder, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
async def webchat(
    settings: Settings, engine: EngineStack, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Settings]:
    """`python -m app webchat serve` on the real engine, supervised as `make run` does."""
    # a test taps faster than a person: the per-person flood limit would answer "slow down"
    served = webchat_settings(settings, tmp_path_factory.mktemp("webchat"), flood_max_messages=100)
    stack = EngineStack(served, roles=("webchat",))
    await stack.ensure_running()
    yield served
    stack.stop()


@pytest.fixture(scope="module")
async def webchat_without_engine(
    settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Settings]:
    """The same page when the engine is not there (nothing listens on its port)."""
    folder = tmp_path_factory.mktemp("webchat-alone")
    # A database of its own: two web chats on one database would both deliver its people's
    # messages, each into its own memory (one web chat per database until issue 17).
    served = webchat_settings(settings, folder, rasa_port=free_port(), engine_timeout=1.0,
                              database_url=f"sqlite:///{folder / 'assistant.db'}")  # fmt: skip
    stack = EngineStack(served, roles=("webchat",))
    await stack.ensure_running()
    yield served
    stack.stop()
