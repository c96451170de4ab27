"""Erasing messages: the quick exit now, auto-erase when due, both from the message ledger.

The ledger keeps message ids and due times, never texts; the chat id is encrypted. Deletion goes
through a channel callable so this module stays independent of Telegram.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable

from storage.message_ledger import LedgerEntry, MessageLedger

logger = logging.getLogger(__name__)

DeleteMessages = Callable[[int, list[int]], Awaitable[None]]
# Telegram lets a bot delete a message for 48 hours; older ids are useless.
DELETABLE_FOR = datetime.timedelta(hours=47)


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


class Eraser:
    """Records message ids and erases them on request or when due."""

    def __init__(self, ledger: MessageLedger, delete_messages: DeleteMessages) -> None:
        self._ledger = ledger
        self._delete = delete_messages

    async def record(self, pseudonym: str, chat_id: int, message_id: int, erase_after: int | None) -> None:
        """Remember a message id, with its due time when auto-erase is on."""
        due = utc_now() + datetime.timedelta(seconds=erase_after) if erase_after else None
        await asyncio.to_thread(self._ledger.record, pseudonym, chat_id, message_id, due)

    async def reschedule(self, pseudonym: str, erase_after: int | None) -> None:
        """Apply a new auto-erase delay to every message already recorded."""
        due = utc_now() + datetime.timedelta(seconds=erase_after) if erase_after else None
        await asyncio.to_thread(self._ledger.set_delete_after_for_all, pseudonym, due)

    async def erase_all(self, pseudonym: str, chat_id: int, extra_ids: Iterable[int] = ()) -> int:
        """Quick exit: delete every recorded message of the person, then forget the ids."""
        entries = await asyncio.to_thread(self._ledger.messages_of, pseudonym)
        ids = sorted({entry.message_id for entry in entries} | set(extra_ids))
        await self._delete(chat_id, ids)
        await asyncio.to_thread(self._ledger.forget, pseudonym)
        return len(ids)

    async def sweep(self, now: datetime.datetime | None = None) -> int:
        """Delete the messages whose auto-erase time has come; drop ids too old to delete."""
        now = now or utc_now()
        entries = await asyncio.to_thread(self._ledger.due, now)
        by_chat: dict[int, list[int]] = defaultdict(list)
        for entry in entries:
            by_chat[entry.chat_id].append(entry.message_id)
        for chat_id, ids in by_chat.items():
            await self._delete(chat_id, ids)
        await asyncio.to_thread(self._ledger.forget_entries, entries)
        await asyncio.to_thread(self._ledger.purge_recorded_before, now - DELETABLE_FOR)
        return len(entries)

    async def run_sweeper(self, every_seconds: float) -> None:
        """Sweep forever (until cancelled); a failure is logged and retried next round."""
        while True:
            try:
                await self.sweep()
            except Exception as error:  # noqa: BLE001 - keep sweeping whatever one round did
                logger.error("auto-erase sweep failed: %s", type(error).__name__)
            await asyncio.sleep(every_seconds)


__all__ = ["DeleteMessages", "Eraser", "LedgerEntry"]
