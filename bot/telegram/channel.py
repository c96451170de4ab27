"""The Telegram side of the channel port: silent messages, edits and deletions, with retries.

Rate limits (429, honouring `retry_after`), server errors and time-outs are retried a few times
before giving up, so that a person is not left in silence by a passing hiccup; a deletion that
still fails is reported as "retry", never as done.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import TypeVar

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.telegram.render import keyboard, qr_png, split_text, telegram_link
from bot.turn.channel import ChannelUnavailableError, ChatRef, Deletion
from core.bidi import for_display
from core.handoff_link import web_link
from core.i18n import tr
from core.screens import Screen

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
DELETE_BATCH = 100  # the Bot API's limit for deleteMessages
SEND_ATTEMPTS = 4
LONGEST_WAIT = 30.0  # seconds: a longer rate limit is not waited for inline
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
Result = TypeVar("Result")


def retry_after_seconds(error: RetryAfter) -> float:
    """The wait Telegram asked for, in seconds."""
    value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramChannel:
    """Shows screens in private chats (and posts notices in association groups) through one bot."""

    name = CHANNEL

    def __init__(
        self,
        bot: Bot,
        bot_username: str = "",
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        web_chat_url: str = "",
    ) -> None:
        self._bot = bot
        self._username = bot_username
        self._sleep = sleep
        self._web_chat_url = web_chat_url  # public web chat: hand-off links for people without Telegram

    async def send(self, chat: ChatRef, screen: Screen) -> list[int]:
        """Show a screen silently: long texts split, buttons on the last part, a hand-off QR code."""
        shown, links = self._with_links(for_display(screen))
        parts = split_text(shown.text)
        ids = []
        for index, part in enumerate(parts):
            markup = keyboard(shown) if index == len(parts) - 1 else None
            message = await self._retrying(self._text_sender(chat, part, markup, shown.protect))
            ids.append(message.message_id)
        for link in links:  # the QR code of each hand-off link, to show on the worker's phone
            ids.append(await self._send_qr(chat, qr_png(link)))
        return ids

    async def _send_qr(self, chat: ChatRef, code: bytes) -> int:
        photo = await self._retrying(lambda: self._bot.send_photo(chat, code, protect_content=True))
        return int(photo.message_id)

    def _text_sender(
        self, chat: ChatRef, text: str, markup: InlineKeyboardMarkup | None, protect: bool
    ) -> Callable[[], Awaitable[Message]]:
        """One sendMessage call, ready to be retried."""
        return lambda: self._bot.send_message(
            chat, text, reply_markup=markup, protect_content=protect, link_preview_options=NO_PREVIEW
        )

    async def edit(self, chat: ChatRef, message_id: int, screen: Screen, current_text: str | None) -> None:
        """Only the keyboard when the text is unchanged (a toggle), else text and keyboard."""
        shown = for_display(screen)
        try:
            markup = keyboard(shown)
            if current_text == shown.text:
                await self._retrying(
                    lambda: self._bot.edit_message_reply_markup(chat, message_id, reply_markup=markup)
                )
            else:
                await self._retrying(
                    lambda: self._bot.edit_message_text(shown.text, chat, message_id, reply_markup=markup)
                )
        except ChannelUnavailableError as error:
            if "not modified" in str(error.__cause__ or ""):
                return  # already shown as it should be
            await self.send(chat, screen)  # the message could not be changed: show the new one instead

    async def delete(self, chat: ChatRef, message_ids: Sequence[int]) -> Deletion:
        """Delete in batches of 100; a refused batch is retried one by one; never raises."""
        done: set[int] = set()
        retry: set[int] = set()
        wait = 0.0
        for start in range(0, len(message_ids), DELETE_BATCH):
            batch = list(message_ids[start : start + DELETE_BATCH])
            try:
                await self._bot.delete_messages(chat, batch)
                done.update(batch)
                continue
            except RetryAfter as error:
                retry.update(batch)
                wait = max(wait, retry_after_seconds(error))
                continue
            except Forbidden:  # the person blocked the bot: nothing can be deleted any more
                done.update(batch)
                continue
            except BadRequest:
                pass  # some message in the batch is refused: one by one below
            except (NetworkError, TelegramError) as error:  # time-out, server error: try again later
                logger.info("deletion to retry: %s", type(error).__name__)
                retry.update(batch)
                continue
            for message_id in batch:
                outcome, after = await self._delete_one(chat, message_id)
                (done if outcome else retry).add(message_id)
                wait = max(wait, after)
        return Deletion(frozenset(done), frozenset(retry), wait)

    async def send_group(self, chat: ChatRef, screen: Screen) -> int:
        """Post in an association group; the id of the message holding the buttons."""
        return (await self.send(chat, screen))[-1]

    async def replace_in_group(self, chat: int, message_id: int, screen: Screen) -> None:
        """Replace a group message's text (buttons removed); a message already gone is done."""
        try:
            await self._retrying(lambda: self._bot.edit_message_text(screen.text, chat, message_id))
        except ChannelUnavailableError as error:
            if not isinstance(error.__cause__, BadRequest):
                raise  # rate limit or network: the outbox retries
            logger.info("group message not replaced: %s", type(error.__cause__).__name__)

    async def _delete_one(self, chat: ChatRef, message_id: int) -> tuple[bool, float]:
        """(True if deleted or gone for good, seconds to wait before a retry)."""
        try:
            await self._bot.delete_message(chat, message_id)
        except RetryAfter as error:
            return False, retry_after_seconds(error)
        except (BadRequest, Forbidden) as error:  # not found, too old, or the chat is gone: nothing to do
            logger.info("a message could not be deleted: %s", type(error).__name__)
        except TelegramError as error:  # network or server error: try again
            logger.info("deletion to retry: %s", type(error).__name__)
            return False, 0.0
        return True, 0.0

    async def _retrying(self, call: Callable[[], Awaitable[Result]]) -> Result:
        """Call the Bot API; wait and retry on rate limits, time-outs and server errors."""
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                return await call()
            except RetryAfter as error:
                wait = retry_after_seconds(error)
                if wait > LONGEST_WAIT or attempt == SEND_ATTEMPTS:
                    raise ChannelUnavailableError("rate limited") from error
                await self._sleep(wait)
            except (BadRequest, Forbidden) as error:  # will not work by trying again
                raise ChannelUnavailableError(type(error).__name__) from error
            except TelegramError as error:  # time-out, network or server error
                if attempt == SEND_ATTEMPTS:
                    raise ChannelUnavailableError(type(error).__name__) from error
                await self._sleep(0.5 * 2 ** (attempt - 1))
        raise ChannelUnavailableError("no attempt left")

    def _with_links(self, screen: Screen) -> tuple[Screen, list[str]]:
        """A hand-off screen gets its t.me link in the text, and the web chat's when one is public;
        the links are returned for their QR codes."""
        if screen.handoff is None:
            return screen, []
        username = self._username or self._bot.username
        url = telegram_link(username, screen.handoff)
        text, links = f"{screen.text}\n\n{url}", [url]
        if self._web_chat_url:
            web, label = web_link(self._web_chat_url, screen.handoff), tr(screen.language, "handoff.web")
            text, links = f"{text}\n\n{label}\n{web}", [url, web]
        return dataclasses.replace(screen, text=text), links


def pressed_text(message: object) -> str | None:
    """The text of the message holding a pressed button, when it is an accessible message."""
    return message.text if isinstance(message, Message) else None
