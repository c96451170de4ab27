"""Association groups on Telegram: a notice channel only, never the place where work happens.

`/enroll CODE` binds a group to an association, which a coordinator must then confirm in the
inbox before any notice is posted there. Buttons of request messages posted before the inbox
existed, and replies to the bot's messages, are answered with the inbox's address: nothing typed
in a group is relayed to a person any more.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.telegram.context import ChannelContext, GroupContext
from core.handover_messages import GROUP_PREFIX
from core.i18n import tr
from storage.directory import DirectoryError

logger = logging.getLogger(__name__)


def groups_of(context: ChannelContext) -> GroupContext:
    """The group side of the Telegram runtime."""
    return context.telegram.groups


async def on_enroll(update: Update, context: ChannelContext) -> None:
    """`/enroll CODE` in a group: the group waits for a coordinator's confirmation in the inbox."""
    message, groups = update.effective_message, groups_of(context)
    if message is None or update.effective_chat is None:
        return
    code = (context.args or [""])[0]
    try:
        association_id = await asyncio.to_thread(
            groups.directory.enroll, code, update.effective_chat.id, groups.actor(update)
        )
    except DirectoryError:
        await message.reply_text(tr(groups.language, "handover.group.enroll_failed"))
        return
    await _delete_quietly(message)  # the code is spent, but it need not stay in the history
    association = groups.directory.get(association_id)
    name = association.name if association else association_id
    await context.bot.send_message(
        update.effective_chat.id, tr(groups.language, "handover.group.enrolled_waiting", name=name)
    )


async def on_group_button(update: Update, context: ChannelContext) -> None:
    """A button of an old request message: the answer is given in the inbox now."""
    query, groups = update.callback_query, groups_of(context)
    if query is None:
        return
    await query.answer(
        tr(groups.language, "handover.group.use_inbox", link=groups.inbox_url), show_alert=True
    )


async def on_group_reply(update: Update, context: ChannelContext) -> None:
    """A member replied to one of the bot's messages: point to the inbox, relay nothing."""
    message, groups = update.effective_message, groups_of(context)
    replied = message.reply_to_message if message else None
    if message is None or replied is None or replied.from_user is None:
        return
    if replied.from_user.id != context.bot.id:
        return
    await message.reply_text(tr(groups.language, "handover.group.use_inbox", link=groups.inbox_url))


async def _delete_quietly(message: Message) -> None:
    try:
        await message.delete()
    except TelegramError as error:  # the bot may not be allowed to delete in this group
        logger.info("enrol message not deleted: %s", type(error).__name__)


def group_handlers() -> list[BaseHandler]:
    """The association group handlers; private chats are not concerned."""
    in_groups = filters.ChatType.GROUPS
    return [
        CommandHandler("enroll", on_enroll, filters=in_groups),
        CallbackQueryHandler(on_group_button, pattern=f"^{GROUP_PREFIX}"),
        MessageHandler(in_groups & filters.TEXT & filters.REPLY & ~filters.COMMAND, on_group_reply),
    ]
