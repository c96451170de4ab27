"""Telegram updates in private chats become `Incoming` values for the turn pipeline; nothing else.

Every decision (exit, code word, danger, relay, flood, engine) is the pipeline's.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.telegram.channel import CHANNEL, pressed_text
from bot.telegram.context import ChannelContext
from bot.turn.inputs import Incoming, Person

logger = logging.getLogger(__name__)


def person_of(update: Update) -> Person | None:
    """The person behind an update, with the language their Telegram app uses."""
    user = update.effective_user
    return Person(CHANNEL, str(user.id), user.language_code) if user else None


def key_of(update: Update) -> str:
    """The same when Telegram delivers this update again, different for any other update: its
    id (unique for a bot over time) and the date of the message it carries or was pressed on."""
    message = update.effective_message
    date = int(message.date.timestamp()) if message is not None and message.date else 0
    return f"telegram-{update.update_id}-{date}"


async def on_text(update: Update, context: ChannelContext) -> None:
    """A text message or command."""
    person, message = person_of(update), update.effective_message
    if person is None or message is None or message.text is None:
        return
    incoming = Incoming(
        person, message.chat_id, message.text, message_id=message.message_id, update_key=key_of(update)
    )
    await context.telegram.pipeline.handle(incoming, context.telegram.channel)


async def on_button(update: Update, context: ChannelContext) -> None:
    """A button pressed in a private chat: acknowledged at once, then a turn like any other."""
    query, person = update.callback_query, person_of(update)
    if query is None or person is None:
        return
    try:
        await query.answer()
    except TelegramError as error:  # the spinner stays a moment longer; the turn goes on
        logger.info("button not acknowledged: %s", type(error).__name__)
    if query.message is None or query.message.chat.type != "private":
        return
    incoming = Incoming(
        person,
        query.message.chat.id,
        query.data or "",
        button=True,
        pressed_id=query.message.message_id,
        pressed_text=pressed_text(query.message),
        update_key=key_of(update),
    )
    await context.telegram.pipeline.handle(incoming, context.telegram.channel)


async def on_media(update: Update, context: ChannelContext) -> None:
    """Photos, voice, stickers, locations, files: a turn without text; nothing downloaded or kept."""
    person, message = person_of(update), update.effective_message
    if person is None or message is None:
        return
    incoming = Incoming(
        person, message.chat_id, None, message_id=message.message_id, update_key=key_of(update)
    )
    await context.telegram.pipeline.handle(incoming, context.telegram.channel)


async def on_error(update: object, context: ChannelContext) -> None:
    """Failures outside a turn (the pipeline answers its own): logged by kind only, never posted."""
    logger.error("update failed outside a turn: %s", type(context.error).__name__)
