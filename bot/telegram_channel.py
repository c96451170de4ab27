"""The Telegram channel (python-telegram-bot): updates in, silent messages out."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot.config import Settings
from bot.conversation import ConversationService, Person
from bot.telegram_render import command_text, keyboard, split_text
from core.common_screens import static_fallback
from core.screens import Screen

logger = logging.getLogger(__name__)
CHANNEL = "telegram"
SERVICE_KEY = "conversation_service"


def person_of(update: Update) -> Person | None:
    """The person behind an update, with the language their Telegram app uses."""
    user = update.effective_user
    if user is None:
        return None
    return Person(CHANNEL, str(user.id), user.language_code)


def service_of(context: ContextTypes.DEFAULT_TYPE) -> ConversationService:
    """The conversation service shared by all handlers."""
    return context.application.bot_data[SERVICE_KEY]


async def send_screens(context: ContextTypes.DEFAULT_TYPE, chat_id: int, screens: list[Screen]) -> None:
    """Send each screen silently; long texts are split and the buttons go on the last part."""
    for screen in screens:
        parts = split_text(screen.text)
        for index, part in enumerate(parts):
            markup = keyboard(screen) if index == len(parts) - 1 else None
            await context.bot.send_message(chat_id, part, reply_markup=markup, protect_content=screen.protect)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A text message or command: through the engine."""
    person, message = person_of(update), update.effective_message
    if person is None or message is None or message.text is None:
        return
    screens = await service_of(context).handle_text(person, command_text(message.text))
    await send_screens(context, message.chat_id, screens)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button press: acknowledge at once, then answer its payload."""
    query, person = update.callback_query, person_of(update)
    if query is None or person is None:
        return
    await query.answer()
    if query.message is None:
        return
    screens = await service_of(context).handle_text(person, query.data or "")
    await send_screens(context, query.message.chat.id, screens)


async def on_unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Photos, voice, stickers, locations, files: a clear reply; nothing downloaded or kept."""
    person, message = person_of(update), update.effective_message
    if person is None or message is None:
        return
    screens = await service_of(context).handle_unsupported(person)
    await send_screens(context, message.chat_id, screens)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Never silent: after any failure, try to send the static fallback."""
    logger.error("update failed: %s", type(context.error).__name__)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    person = person_of(update)
    language = service_of(context).language_for(person) if person else "fr"
    try:
        await send_screens(context, update.effective_chat.id, [static_fallback(language)])
    except Exception as error:  # noqa: BLE001 - last resort; nothing else can be done here
        logger.error("fallback send failed: %s", type(error).__name__)


def build_application(settings: Settings, service: ConversationService) -> Application:
    """The PTB application: private chats only, every send without notification sound."""
    application = (
        Application.builder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .defaults(Defaults(disable_notification=True))
        .concurrent_updates(64)  # one person's messages stay ordered by the service's locks
        .build()
    )
    application.bot_data[SERVICE_KEY] = service
    private = filters.ChatType.PRIVATE
    application.add_handler(MessageHandler(private & filters.TEXT, on_text))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(
        MessageHandler(private & ~filters.TEXT & ~filters.StatusUpdate.ALL, on_unsupported)
    )
    application.add_error_handler(on_error)
    return application


ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]


def webhook_options(settings: Settings) -> dict:
    """Arguments of the webhook listener: Telegram must present the secret token."""
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "webhook_url": settings.webhook_url,
        "secret_token": settings.webhook_secret or None,
        "allowed_updates": ALLOWED_UPDATES,
    }


def run_telegram(settings: Settings, service: ConversationService) -> None:
    """Serve Telegram by long polling, or by webhook when TELEGRAM_WEBHOOK_URL is set (blocking)."""
    application = build_application(settings, service)
    if settings.webhook_url:
        application.run_webhook(**webhook_options(settings))
    else:
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
