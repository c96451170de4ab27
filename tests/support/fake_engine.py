"""A stand-in Rasa REST endpoint for tests of failure paths (slow, empty, broken)."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web


class FakeEngine:
    """Answers /webhooks/rest/webhook with a configurable reply, delay or status."""

    def __init__(self, replies: list[dict[str, Any]] | None = None, delay: float = 0.0, status: int = 200):
        self.replies = replies or []
        self.delay = delay
        self.status = status
        self.received: list[dict[str, Any]] = []
        self.forgotten: list[str] = []
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def __aenter__(self) -> FakeEngine:
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", self._webhook)
        app.router.add_put("/conversations/{sender}/tracker/events", self._forget)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()

    async def _webhook(self, request: web.Request) -> web.Response:
        self.received.append(await request.json())
        await asyncio.sleep(self.delay)
        return web.json_response(self.replies, status=self.status)

    async def _forget(self, request: web.Request) -> web.Response:
        self.forgotten.append(request.match_info["sender"])
        return web.json_response({})
