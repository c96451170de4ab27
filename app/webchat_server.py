"""Serve the web chat (`python -m app webchat serve`): its own process and port, a bot runtime of
its own on the shared engine and database, delivering association messages to its own people."""

from __future__ import annotations

import asyncio
import contextlib

import uvicorn

from app.bot_runtime import BotRuntime
from app.config import Settings
from app.logging_setup import configure_server_logging
from app.readiness import database_answers
from bot.handover.delivery import DeliveryWorker, through_pipeline
from monitoring.http import starlette_routes
from web.serving import quiet_config
from webchat.app import WebChat, WebChatSettings, create_app
from webchat.channel import CHANNEL, WebChannel

EXPIRE_EVERY = 60.0


def serve_webchat(settings: Settings) -> None:
    """Serve until stopped (blocking)."""
    configure_server_logging()
    asyncio.run(_serve(settings))


async def _expire_forever(channel: WebChannel) -> None:
    """Forget idle conversations' waiting screens."""
    while True:
        await asyncio.sleep(EXPIRE_EVERY)
        channel.expire()


def web_runtime(settings: Settings) -> tuple[BotRuntime, WebChat]:
    """The runtime, its web channel and the page handlers."""
    runtime = BotRuntime.build(settings)
    channel = WebChannel(idle_seconds=settings.conversation_ttl_seconds, link_base=settings.webchat_url)
    runtime.attach(channel)
    page = WebChatSettings(
        title=settings.webchat_title,
        exit_url=settings.webchat_exit_url,
        address_limit=settings.webchat_address_limit,
    )
    return runtime, WebChat(runtime.pipeline, channel, page)


async def _serve(settings: Settings) -> None:
    runtime, chat = web_runtime(settings)
    stores = runtime.stores
    worker = DeliveryWorker(
        stores.handovers,
        stores.directory,
        None,  # group notices are the Telegram process's
        through_pipeline(runtime.pipeline, chat.channel, stores.handovers),
        None,
        settings.association_language,
        settings.inbox_url,
        runtime.delivery_wake,
        channels=(CHANNEL,),
    )
    runtime.start_background(
        worker.run_forever(settings.delivery_sweep_seconds), _expire_forever(chat.channel)
    )
    checks = {"database": database_answers(stores.db)}  # not the engine: app/readiness.py
    app = create_app(chat, settings.webchat_secret, starlette_routes(settings.monitor_token, checks))
    config = quiet_config(app, settings.webchat_listen, settings.webchat_port)
    try:
        await uvicorn.Server(config).serve()
    finally:
        with contextlib.suppress(Exception):
            await runtime.pipeline.maintain()
        await runtime.stop_background()
