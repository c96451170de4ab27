"""Browser fixtures: Debian's Chromium driven by Playwright, and the inbox served by its real
process (started and health-checked by the same supervisor as `make run`)."""

from __future__ import annotations

import dataclasses
import shutil
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from app.config import Settings
from app.processes import EngineStack
from app.runtime import build_stores
from storage.stores import Stores

CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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
