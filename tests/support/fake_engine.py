"""A stand-in for the Rasa server's bot channel, for tests of failure paths (slow, empty, broken)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from aiohttp import web

from rasa_components import auth

ROUTES = "/webhooks/bot"


class FakeEngine:
    """Answers the bot channel's routes with a configurable reply, delay or status.

    `replies` is the same list for every message, or a function of the request body.
    With `secret`, requests without it in the header are refused as the real channel does;
    `.secrets_seen` keeps what each request carried in that header.
    """

    def __init__(
        self,
        replies: list[dict[str, Any]] | Callable[[dict[str, Any]], list[dict[str, Any]]] | None = None,
        delay: float = 0.0,
        status: int = 200,
        secret: str | None = None,
    ):
        self.replies = replies or []
        self.delay = delay
        self.status = status
        self.secret = secret
        self.received: list[dict[str, Any]] = []
        self.forgotten: list[str] = []
        self.secrets_seen: list[str | None] = []
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def __aenter__(self) -> FakeEngine:
        app = web.Application(middlewares=[self._check_secret])
        app.router.add_post(f"{ROUTES}/webhook", self._webhook)
        app.router.add_post(f"{ROUTES}/forget", self._forget)
        app.router.add_get(f"{ROUTES}/health", self._health)
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

    @web.middleware
    async def _check_secret(self, request: web.Request, handler: Any) -> web.StreamResponse:
        given = request.headers.get(auth.ENGINE_SECRET_HEADER)
        self.secrets_seen.append(given)
        refused = auth.refusal(given, self.secret) if self.secret is not None else None
        return web.Response(status=refused) if refused else await handler(request)

    async def _webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.received.append(body)
        await asyncio.sleep(self.delay)
        replies = self.replies(body) if callable(self.replies) else self.replies
        return web.json_response(replies, status=self.status)

    async def _forget(self, request: web.Request) -> web.Response:
        self.forgotten.append((await request.json())["sender"])
        return web.json_response({"forgotten": True})

    async def _health(self, request: web.Request) -> web.Response:
        challenge = request.headers.get(auth.CHALLENGE_HEADER, "")
        proof = auth.proof(self.secret, challenge) if self.secret and challenge else None
        return web.json_response({"status": "ok", "model_loaded": True, "proof": proof})
