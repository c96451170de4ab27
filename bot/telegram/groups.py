"""Association groups on Telegram: enrolment, Accept / Decline / Close, replies relayed to the person.

Members are recorded in the audit log under a keyed pseudonym; the person never learns who
answered and the group never learns the person's Telegram identity.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.telegram.context import ChannelContext, GroupContext
from bot.telegram.render import keyboard
from core.handover_messages import ACCEPT, CLOSE, GROUP_PREFIX, accepted_markup_screen, parse_group_button
from core.i18n import tr
from storage.directory import DirectoryError

logger = logging.getLogger(__name__)


def groups_of(context: ChannelContext) -> GroupContext:
    """The group side of the Telegram runtime."""
    return context.telegram.groups


async def on_enroll(update: Update, context: ChannelContext) -> None:
    """`/enroll CODE` in a group binds it to the code's association."""
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
        update.effective_chat.id, tr(groups.language, "handover.group.enrolled", name=name)
    )


async def on_group_button(update: Update, context: ChannelContext) -> None:
    """Accept, Decline or Close, only from the group of the request's association."""
    query, groups = update.callback_query, groups_of(context)
    parsed = parse_group_button(query.data or "") if query else None
    if query is None or parsed is None or not isinstance(query.message, Message):
        return
    verb, reference = parsed
    association_id = await asyncio.to_thread(groups.directory.association_of_group, query.message.chat.id)
    if association_id is None:
        await query.answer(tr(groups.language, "handover.group.not_enrolled"))
        return
    outcome = await _apply(groups, verb, reference, association_id, groups.actor(update))
    await query.answer(tr(groups.language, f"handover.group.answer.{outcome}"))
    await _show_outcome(query.message, groups, verb, reference, outcome)
    groups.wake_delivery()


async def _apply(groups: GroupContext, verb: str, reference: str, association_id: str, actor: str) -> str:
    """Record the member's choice; returns the outcome name."""
    if verb == CLOSE:
        closed = await asyncio.to_thread(groups.handovers.close, reference, association_id, actor)
        return "closed" if closed else "late"
    return await asyncio.to_thread(groups.handovers.answer, reference, association_id, actor, verb == ACCEPT)


async def _show_outcome(
    message: Message, groups: GroupContext, verb: str, reference: str, outcome: str
) -> None:
    """Edit the request message so every member sees where it stands."""
    try:
        if outcome == "accepted":
            level = await asyncio.to_thread(groups.handovers.level_of, reference)
            screen = accepted_markup_screen(reference, groups.language, level or "")
            await message.edit_text(f"{message.text}\n\n{screen.text}", reply_markup=keyboard(screen))
        elif outcome in ("declined", "closed"):
            note = tr(groups.language, f"handover.group.answer.{outcome}")
            await message.edit_text(f"{message.text}\n\n{note}", reply_markup=None)
    except TelegramError as error:
        logger.info("group message not edited: %s", type(error).__name__)


async def on_group_reply(update: Update, context: ChannelContext) -> None:
    """A member replied to a request message: relay the words to the person, within their safe times."""
    message, groups = update.effective_message, groups_of(context)
    replied = message.reply_to_message if message else None
    if message is None or replied is None or message.text is None:
        return
    if replied.from_user is None or replied.from_user.id != context.bot.id:
        return
    outcome = await asyncio.to_thread(
        groups.handovers.relay_from_group,
        message.chat_id,
        replied.message_id,
        message.text,
        groups.actor(update),
    )
    await message.reply_text(tr(groups.language, f"handover.group.relay_{outcome}"))
    groups.wake_delivery()


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
