"""Deleting shown messages: at once for a quick exit, when due for auto-erase, and again until done.

An id is forgotten only once its channel deleted it or said it is gone for good. A rate limit,
a time-out or a server error keeps it: it is retried (after the wait the channel asked for),
from memory and from the ledger, until it is deleted or older than Telegram's 48-hour limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from bot.turn.channel import Channel
from core.clock import Clock, utc_now
from storage.message_ledger import LedgerEntry, MessageLedger

logger = logging.getLogger(__name__)

DELETABLE_FOR = datetime.timedelta(hours=47)  # Telegram lets a bot delete a message for 48 hours
FIRST_RETRY_SECONDS = 1.0
LONGEST_RETRY_SECONDS = 300.0


@dataclass(frozen=True)
class Erased:
    """The outcome of one attempt: entries done (deleted or gone) and entries to try again."""

    done: list[LedgerEntry]
    retry: list[LedgerEntry]
    retry_after: float = 0.0


@dataclass
class _Retry:
    entry: LedgerEntry
    due_at: float
    attempts: int
    give_up_at: float


class Eraser:
    """Deletes entries through their channel; keeps and retries what could not be deleted yet."""

    def __init__(
        self,
        ledger: MessageLedger,
        channels: Mapping[str, Channel],
        clock: Clock = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ledger = ledger
        self._channels = channels
        self._now = clock
        self._monotonic = monotonic
        self._retries: dict[tuple[str, int], _Retry] = {}
        self.wake = asyncio.Event()

    async def erase(self, entries: Iterable[LedgerEntry]) -> Erased:
        """Try to delete entries now, grouped by chat; nothing raises."""
        by_chat: dict[tuple[str, int | str], list[LedgerEntry]] = defaultdict(list)
        for entry in entries:
            by_chat[(entry.channel, entry.chat_id)].append(entry)
        done: list[LedgerEntry] = []
        retry: list[LedgerEntry] = []
        wait = 0.0
        for (channel_name, chat), chat_entries in by_chat.items():
            channel = self._channels.get(channel_name)
            if channel is None:  # a channel this process does not serve: leave them to the one that does
                continue
            outcome = await channel.delete(chat, sorted({e.message_id for e in chat_entries}))
            done += [e for e in chat_entries if e.message_id in outcome.done]
            retry += [e for e in chat_entries if e.message_id in outcome.retry]
            wait = max(wait, outcome.retry_after)
        return Erased(done, retry, wait)

    def retry_later(self, entries: Iterable[LedgerEntry], after: float = 0.0) -> None:
        """Keep entries to retry in memory, after at least `after` seconds; wake the sweeper."""
        now = self._monotonic()
        for entry in entries:
            key = (entry.pseudonym, entry.message_id)
            known = self._retries.get(key)
            attempts = known.attempts + 1 if known else 1
            delay = max(after, min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1), LONGEST_RETRY_SECONDS))
            give_up = known.give_up_at if known else now + DELETABLE_FOR.total_seconds()
            self._retries[key] = _Retry(entry, now + delay, attempts, give_up)
        self.wake.set()

    def pending(self) -> list[LedgerEntry]:
        """Entries waiting for a retry (for tests and diagnostics)."""
        return [retry.entry for retry in self._retries.values()]

    async def sweep(self) -> int:
        """Delete what is due: auto-erase times reached in the ledger, and retries; returns the count done."""
        now = self._now()
        from_ledger = await self._due_in_ledger(now)
        from_memory = self._due_retries()
        seen = {(e.pseudonym, e.message_id) for e in from_ledger}
        entries = from_ledger + [e for e in from_memory if (e.pseudonym, e.message_id) not in seen]
        if not entries:
            return 0
        outcome = await self.erase(entries)
        for entry in outcome.done:
            self._retries.pop((entry.pseudonym, entry.message_id), None)
        self.retry_later(outcome.retry, outcome.retry_after)
        await self._settle_ledger(outcome, now)
        return len(outcome.done)

    async def run_forever(self, every_seconds: float) -> None:
        """Sweep until cancelled: every `every_seconds`, or sooner when a retry falls due."""
        while True:
            try:
                await self.sweep()
            except Exception as error:  # noqa: BLE001 - keep sweeping whatever one round did
                logger.error("auto-erase sweep failed: %s", type(error).__name__)
            self.wake.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=self._next_wait(every_seconds))

    def _next_wait(self, every_seconds: float) -> float:
        if not self._retries:
            return every_seconds
        soonest = min(retry.due_at for retry in self._retries.values())
        return max(0.05, min(every_seconds, soonest - self._monotonic()))

    def _due_retries(self) -> list[LedgerEntry]:
        now = self._monotonic()
        for key in [k for k, r in self._retries.items() if r.give_up_at <= now]:
            del self._retries[key]  # older than Telegram's limit: nothing can delete it any more
        return [r.entry for r in self._retries.values() if r.due_at <= now]

    async def _due_in_ledger(self, now: datetime.datetime) -> list[LedgerEntry]:
        try:
            return await asyncio.to_thread(self._ledger.due, now, 500, list(self._channels))
        except Exception as error:  # noqa: BLE001 - the database may be locked: memory retries go on
            logger.warning("ledger unavailable for auto-erase: %s", type(error).__name__)
            return []

    async def _settle_ledger(self, outcome: Erased, now: datetime.datetime) -> None:
        """Forget what was deleted; push back what must be retried; drop rows too old to delete."""
        try:
            await asyncio.to_thread(self._ledger.forget_entries, outcome.done)
            if outcome.retry:
                later = now + datetime.timedelta(seconds=max(outcome.retry_after, FIRST_RETRY_SECONDS))
                await asyncio.to_thread(self._ledger.retry_entries, outcome.retry, later)
            await asyncio.to_thread(self._ledger.purge_recorded_before, now - DELETABLE_FOR)
        except Exception as error:  # noqa: BLE001 - the next round reads the ledger again
            logger.warning("ledger not updated after deletion: %s", type(error).__name__)
