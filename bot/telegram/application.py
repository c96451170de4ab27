"""The python-telegram-bot application: one handler table, the typed runtime, background tasks."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    BaseHandler,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot.handover.delivery import DeliveryWorker, through_pipeline
from bot.telegram.channel import TelegramChannel
from bot.telegram.context import TELEGRAM_KEY, ChannelContext, GroupContext, TelegramRuntime
from bot.telegram.groups import group_handlers
from bot.telegram.handlers import on_button, on_error, on_media, on_text
from bot.telegram.setup import present_the_bot
from bot.telegram.webhook import serve_webhook
from core.handover_messages import GROUP_PREFIX

if TYPE_CHECKING:
    from app.bot_runtime import BotRuntime
    from app.config import Settings

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
CONCURRENT_UPDATES = 256  # one person's updates stay ordered by the pipeline's lock


class WebhookSecretError(ValueError):
    """Webhook mode was asked for without a secret: anyone could forge updates."""


def build_application(runtime: BotRuntime) -> Application:
    """The PTB application for this runtime: private chats through the pipeline, groups on the side."""
    settings = runtime.settings
    application = (
        Application.builder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .defaults(Defaults(disable_notification=True))
        .rate_limiter(AIORateLimiter(max_retries=0))  # pace the sends; the channel retries itself
        .concurrent_updates(CONCURRENT_UPDATES)
        .context_types(ContextTypes(context=ChannelContext))
        .post_init(on_start)
        .post_shutdown(on_stop)
        .build()
    )
    web_chat = settings.webchat_public_url
    channel = TelegramChannel(application.bot, settings.bot_username, web_chat_url=web_chat)
    runtime.attach(channel)
    application.bot_data[TELEGRAM_KEY] = _telegram_runtime(runtime, channel)
    for handler in handlers():
        application.add_handler(handler)
    application.add_error_handler(on_error)
    return application


def handlers() -> list[BaseHandler]:
    """Every handler, each matching its own updates whatever the order."""
    private = filters.ChatType.PRIVATE
    return [
        *group_handlers(),
        MessageHandler(private & filters.TEXT, on_text),
        CallbackQueryHandler(on_button, pattern=f"^(?!{GROUP_PREFIX})"),
        MessageHandler(private & ~filters.TEXT & ~filters.StatusUpdate.ALL, on_media),
    ]


def _telegram_runtime(runtime: BotRuntime, channel: TelegramChannel) -> TelegramRuntime:
    """The delivery of the outbox and the group side, around the runtime's pipeline."""
    stores, settings, pipeline = runtime.stores, runtime.settings, runtime.pipeline
    deliver_to_person = through_pipeline(pipeline, channel, stores.handovers)

    worker = DeliveryWorker(
        stores.handovers,
        stores.directory,
        channel.send_group,
        deliver_to_person,
        channel.replace_in_group,
        settings.association_language,
        settings.inbox_url,
        runtime.delivery_wake,
    )
    language = settings.association_language
    groups = GroupContext(
        stores.directory,
        stores.handovers,
        runtime.wake_delivery,
        runtime.hasher,
        language,
        settings.inbox_url,
    )
    return TelegramRuntime(runtime, channel, groups, worker)


async def on_start(application: Application) -> None:
    """Present the bot neutrally; start auto-erase, upkeep and the delivery of handovers."""
    telegram: TelegramRuntime = application.bot_data[TELEGRAM_KEY]
    settings = telegram.runtime.settings
    await present_the_bot(application, settings.bot_display_name)
    telegram.runtime.start_background(telegram.delivery.run_forever(settings.delivery_sweep_seconds))


async def on_stop(application: Application) -> None:
    """Stop the background tasks."""
    telegram: TelegramRuntime = application.bot_data[TELEGRAM_KEY]
    await telegram.runtime.stop_background()


def require_webhook_secret(settings: Settings) -> None:
    """Webhook mode only with a secret token that Telegram must present on every update."""
    if not settings.webhook_secret:
        raise WebhookSecretError("webhook mode needs TELEGRAM_WEBHOOK_SECRET (or a generated one)")


def run_telegram(runtime: BotRuntime) -> None:
    """Serve Telegram by long polling, or by webhook when TELEGRAM_WEBHOOK_URL is set (blocking)."""
    application = build_application(runtime)
    if runtime.settings.webhook_url:
        require_webhook_secret(runtime.settings)
        asyncio.run(serve_webhook(application, runtime.settings, ALLOWED_UPDATES))
    else:
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
