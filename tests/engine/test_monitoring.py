"""Health, readiness and metrics of every process (issue 17): behind MONITOR_TOKEN, readiness
names what it checked, and the metrics hold counts and latencies, never a text or a pseudonym."""

from __future__ import annotations

import asyncio
import dataclasses
import time

import httpx
import pytest
from prometheus_client import generate_latest

from app.monitor_server import start_monitor
from app.runtime import build_stores
from monitoring.http import answer
from tests.support.ports import free_port

MARKER = "my boss in Lyon keeps my passport"


def monitor(settings) -> dict[str, str]:
    return {"Authorization": f"Bearer {settings.monitor_token}"}


async def refused_without_the_token(http: httpx.AsyncClient, base: str) -> None:
    for path in ("/health/live", "/health/ready", "/metrics"):
        assert (await http.get(base + path)).status_code == 401, path
        wrong = await http.get(base + path, headers={"Authorization": "Bearer " + "w" * 48})
        assert wrong.status_code == 403, path


@pytest.fixture
async def http():
    async with httpx.AsyncClient(timeout=20) as client:
        yield client


async def test_the_rasa_server_is_ready_with_its_model_and_its_conversation_store(settings, engine, http):
    await refused_without_the_token(http, settings.rasa_url)
    ready = await http.get(settings.rasa_url + "/health/ready", headers=monitor(settings))
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"model": True, "conversation_store": True}}
    metrics = await http.get(settings.rasa_url + "/metrics", headers=monitor(settings))
    assert "assistant_model_loaded 1.0" in metrics.text
    assert "assistant_engine_messages_total" in metrics.text


async def test_the_action_server_is_ready_with_its_database(settings, engine, http):
    base = f"http://127.0.0.1:{settings.actions_port}"
    await refused_without_the_token(http, base)
    ready = await http.get(base + "/health/ready", headers=monitor(settings))
    assert ready.json() == {"status": "ready", "checks": {"database": True}}
    live = await http.get(base + "/health/live", headers=monitor(settings))
    assert live.status_code == 200


async def test_readiness_says_what_is_missing():
    async def works() -> bool:
        return True

    async def fails() -> bool:
        raise ConnectionError("down")

    status, _, body = await answer("/health/ready", "Bearer " + "t" * 40, "t" * 40, {"a": works, "b": fails})
    assert status == 503 and '"b": false' in body and '"a": true' in body


async def test_the_bot_monitor_and_the_turn_metrics_hold_no_personal_data(settings, engine, chat, http):
    port = free_port()
    start_monitor(dataclasses.replace(settings, monitor_port=port), build_stores(settings))
    base = f"http://127.0.0.1:{port}"
    await wait_for(http, base + "/health/live", monitor(settings))
    await refused_without_the_token(http, base)
    before = turns_counted()
    person = chat("en", safe=True)
    await person.say(MARKER)
    ready = await http.get(base + "/health/ready", headers=monitor(settings))
    assert ready.json() == {"status": "ready", "checks": {"database": True}}
    text = (await http.get(base + "/metrics", headers=monitor(settings))).text
    assert turns_counted() == before + 2, "the safety answer, then the words"
    assert "assistant_turn_seconds_bucket" in text
    everything = generate_latest().decode()
    for secret in (MARKER, "passport", person.pseudonym):
        assert secret not in everything and secret not in text


def turns_counted() -> float:
    """Answered console turns so far, read from the metrics text."""
    total = 0.0
    for line in generate_latest().decode().splitlines():
        if line.startswith("assistant_turns_total{") and 'channel="console"' in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


async def wait_for(http: httpx.AsyncClient, url: str, headers: dict[str, str]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if (await http.get(url, headers=headers)).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    pytest.fail(f"nothing answers {url}")


async def test_a_bot_whose_engine_is_down_stays_ready(settings, http):
    """Without the engine a bot still answers (emergency numbers, static screen): a balancer must
    keep sending it messages."""
    port = free_port()
    unreachable = dataclasses.replace(
        settings, monitor_port=port, engine_url=f"http://127.0.0.1:{free_port()}"
    )
    start_monitor(unreachable, build_stores(settings))
    base = f"http://127.0.0.1:{port}"
    await wait_for(http, base + "/health/live", monitor(settings))
    ready = await http.get(base + "/health/ready", headers=monitor(settings))
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
