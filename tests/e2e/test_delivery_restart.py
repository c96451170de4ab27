"""Nothing lost, nothing doubled: the delivering process is killed after the commit, then restarted."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from app.config import load_settings
from app.runtime import build_stores
from core.handover import Draft
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.inbox import enroll_group

ROOT = Path(__file__).resolve().parents[2]
GROUP = -100737373


@pytest.fixture
async def api():
    async with FakeBotAPI() as stand_in:
        yield stand_in


async def run_delivery(mode: str, environment: dict[str, str]) -> int:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.support.delivery_process", mode, cwd=ROOT, env=environment
    )
    return await asyncio.wait_for(process.wait(), timeout=60)


async def test_killed_between_commit_and_delivery_then_delivered_exactly_once(api, tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("OUTBOX_LEASE_SECONDS", "1")
    stores = build_stores(load_settings())
    enroll_group(stores.directory, "ruelle", GROUP)
    created = stores.handovers.create("p" * 32, Draft("ruelle", "anonymous", "fr", "33"), "restart-key")
    environment = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_BASE_URL": api.base_url,
    }

    assert await run_delivery("die", environment) == 9
    assert api.sent_messages(GROUP) == [], "killed before sending"
    await asyncio.sleep(1.2)  # the dead process's claim runs out
    assert await run_delivery("deliver", environment) == 0
    assert await run_delivery("deliver", environment) == 0  # a second restart sends nothing more
    (delivered,) = api.sent_messages(GROUP)
    assert created.reference in delivered["text"]
