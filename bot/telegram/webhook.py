"""Telegram's webhook, answered only once the update is handled (issue 17).

python-telegram-bot's own listener acknowledges an update before handling it, so an instance
killed in between loses it. Here Telegram gets its 200 after the turn: if the instance dies
first, Telegram sends the update again, and with several instances behind a balancer another one
answers it. Updates already handled are remembered in Redis (when configured), so that a repeat
after a lost acknowledgement is not answered twice.
"""

from __future__ import annotations

import logging
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from app.config import Settings
from rasa_components import auth
from web.serving import quiet_config

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HANDLED_FOR_SECONDS = 24 * 3600  # Telegram gives up on an update well before this


class HandledUpdates:
    """Update ids already answered, shared by the instances (Redis), or none without Redis."""

    def __init__(self, client: Any | None) -> None:
        self._redis = client

    async def seen(self, update_id: int) -> bool:
        """True when some instance already answered this update."""
        if self._redis is None:
            return False
        try:
            return bool(await self._redis.exists(f"update-handled:{update_id}"))
        except Exception as error:  # noqa: BLE001 - Redis down: answer it (twice at worst)
            logger.warning("handled updates unavailable: %s", type(error).__name__)
            return False

    async def done(self, update_id: int) -> None:
        """Remember that this update was answered."""
        if self._redis is None:
            return
        try:
            await self._redis.set(f"update-handled:{update_id}", "1", ex=HANDLED_FOR_SECONDS)
        except Exception as error:  # noqa: BLE001
            logger.warning("handled update not recorded: %s", type(error).__name__)


def webhook_app(application: Application, secret: str, handled: HandledUpdates) -> Starlette:
    """The listener: the secret token on every update, the answer after the turn."""

    async def receive(request: Request) -> Response:
        if auth.refusal(request.headers.get(SECRET_HEADER), secret) is not None:
            return Response(status_code=403)
        try:
            update = Update.de_json(await request.json(), application.bot)
        except Exception:  # noqa: BLE001 - not an update: nothing to retry
            return Response(status_code=400)
        if update is None or await handled.seen(update.update_id):
            return Response(status_code=200)
        await application.process_update(update)
        await handled.done(update.update_id)
        return Response(status_code=200)

    return Starlette(routes=[Route("/", receive, methods=["POST"])])


async def serve_webhook(application: Application, settings: Settings, allowed_updates: list[str]) -> None:
    """Register the webhook and answer it until stopped; the application's hooks run around it."""
    client = None
    if settings.redis_url:
        import redis.asyncio

        client = redis.asyncio.Redis.from_url(settings.redis_url)
    app = webhook_app(application, settings.webhook_secret, HandledUpdates(client))
    config = quiet_config(app, settings.webhook_listen, settings.webhook_port)
    async with application:
        await application.bot.set_webhook(
            settings.webhook_url, secret_token=settings.webhook_secret, allowed_updates=allowed_updates
        )
        await application.start()
        if application.post_init:
            await application.post_init(application)
        try:
            await uvicorn.Server(config).serve()
        finally:
            await application.stop()
            if application.post_shutdown:
                await application.post_shutdown(application)
