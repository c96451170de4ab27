"""Supervision (audit L5): a dead child comes back; a server that is not ours is never used."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import time
import uuid

import pytest
from aiohttp import web

from app.processes import EngineStack, EngineStartError
from bot.engine import EngineClient

METADATA = {"channel": "test", "client_language": "fr", "detected_language": None, "guessed_language": None}


class ForeignServer:
    """Any HTTP server that says yes to everything, as a squatter or another checkout's engine might."""

    async def __aenter__(self) -> int:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._yes)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        return site._server.sockets[0].getsockname()[1]

    async def __aexit__(self, *exc: object) -> None:
        await self._runner.cleanup()

    async def _yes(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "model_loaded": True, "proof": "trust me"})


async def test_a_foreign_server_on_the_action_port_stops_the_start(settings):
    async with ForeignServer() as port:
        stack = EngineStack(dataclasses.replace(settings, actions_port=port))
        with pytest.raises(EngineStartError, match=rf"port {port} \(ACTIONS_PORT\).*cannot prove"):
            await stack.ensure_running()
    assert stack.pids == {}  # nothing was started beside it


async def test_a_foreign_server_on_the_rasa_port_stops_the_start(settings, engine):
    async with ForeignServer() as port:
        stack = EngineStack(dataclasses.replace(settings, rasa_port=port))
        with pytest.raises(EngineStartError, match=rf"port {port} \(RASA_PORT\).*cannot prove"):
            await stack.ensure_running()
    assert stack.pids == {}


async def test_a_server_of_another_instance_is_not_reused(settings, engine):
    other = dataclasses.replace(settings, actions_secret="o" * 64, rasa_token="p" * 64)
    with pytest.raises(EngineStartError, match=rf"port {settings.actions_port} \(ACTIONS_PORT\)"):
        await EngineStack(other).ensure_running()


async def wait_for(condition, timeout: float) -> bool:
    """Poll an async condition until it holds or the time is up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await condition():
            return True
        await asyncio.sleep(0.5)
    return False


async def test_a_killed_rasa_server_is_restarted_and_answers_again(settings, engine):
    if "engine" not in engine.pids:
        pytest.skip("the engine was already running: not started by this test session")
    client = EngineClient(settings.rasa_url, settings.rasa_token, timeout=20)
    killed = engine.pids["engine"]
    try:
        os.kill(killed, signal.SIGKILL)
        assert await wait_for(lambda: _restarted(engine, killed, client), settings.engine_start_timeout + 30)
        screens = await client.send(uuid.uuid4().hex, "bonjour", METADATA, "fr")
    finally:
        await client.close()
    assert screens and screens[0].intent == "greet"
    log = (settings.log_dir / "engine.log").read_text()
    assert "the Rasa server exited (code -9): restarting" in log


async def _restarted(stack: EngineStack, killed: int, client: EngineClient) -> bool:
    """True once a new Rasa process has replaced the killed one and is ready."""
    return stack.pids.get("engine") not in (None, killed) and await client.is_ready()
