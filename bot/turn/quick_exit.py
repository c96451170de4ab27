"""The quick exit: erase everything the person's chat shows, at once, whatever else is failing.

Order, and why:
1. Hold deliveries to the person (in memory: no database needed), so that nothing an
   association sent is shown during the exit.
2. Delete what this process knows it showed (memory), then what the ledger holds: deletion starts
   before anything waits on the engine or a write.
3. Forget the engine's conversation in the background (never waited on here; the person's
   next message waits for it).
4. Forget what was deleted and pause the requests in one transaction; if the database cannot
   take it now, the deliveries stay held and the maintenance task finishes the exit later.
Nothing is sent during an exit but the optional innocuous line (QUICK_EXIT_LINE).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from bot.engine import EngineClient
from bot.session_memory import LanguageMemory
from bot.turn.channel import Channel, ChatRef
from bot.turn.erasure import Eraser
from bot.turn.pending import PendingWrites
from bot.turn.recent import RecentMessages
from core.clock import Clock, utc_now
from core.screens import Screen
from storage.message_ledger import LedgerEntry
from storage.turns import TurnStore

logger = logging.getLogger(__name__)

LEDGER_READ_TIMEOUT = 2.0  # seconds an exit waits for the ledger before deleting what it knows
FORGET_ATTEMPTS = 4


class QuickExit:
    """Runs quick exits and finishes those the database interrupted."""

    def __init__(
        self,
        store: TurnStore,
        eraser: Eraser,
        recent: RecentMessages,
        pending: PendingWrites,
        engine: EngineClient,
        memory: LanguageMemory,
        wake_delivery: Callable[[], None],
        quick_exit_line: str = "",
        clock: Clock = utc_now,
    ) -> None:
        self._store = store
        self._eraser = eraser
        self._recent = recent
        self._pending = pending
        self._engine = engine
        self._memory = memory
        self._wake_delivery = wake_delivery
        self._line = quick_exit_line
        self._now = clock
        self._running: set[str] = set()  # exits under way
        self._unfinished: dict[str, datetime] = {}  # interrupted exits to finish -> when they started
        self._forgetting: dict[str, asyncio.Task[None]] = {}

    def holds(self, pseudonym: str) -> bool:
        """True while an exit of this person is not finished: nothing may be shown to them."""
        return pseudonym in self._running or pseudonym in self._unfinished

    async def run(self, pseudonym: str, channel: Channel, chat: ChatRef, incoming_id: int | None) -> None:
        """Erase the person's chat now; never sends anything but the optional innocuous line."""
        started = self._now()
        self._running.add(pseudonym)
        try:
            settled = await self._erase(pseudonym, channel.name, chat, incoming_id)
        finally:
            self._running.discard(pseudonym)
        if not settled:  # the database refused: the upkeep task finishes it, deliveries stay held
            self._unfinished[pseudonym] = started
        await self._leave_line(channel, chat)

    async def _erase(self, pseudonym: str, channel: str, chat: ChatRef, incoming_id: int | None) -> bool:
        """Delete what memory knows, then what the ledger holds; True once the database took it all."""
        known = self._known(pseudonym, channel, chat, incoming_id)
        self._pending.drop_records(pseudonym)
        first = await self._eraser.erase(known)
        self._forget_engine(pseudonym)  # deletion has started: now the engine may be asked
        recorded = await self._recorded(pseudonym)
        known_ids = {entry.message_id for entry in known}
        second = await self._eraser.erase(e for e in recorded or [] if e.message_id not in known_ids)
        retry = first.retry + second.retry
        self._eraser.retry_later(retry, max(first.retry_after, second.retry_after))
        self._recent.forget(pseudonym)
        self._memory.forget(pseudonym)
        return recorded is not None and await self._settle(pseudonym, first.done + second.done, retry)

    async def engine_forgot(self, pseudonym: str, timeout: float) -> None:
        """Wait (at most `timeout`) until a pending "forget" reached the engine."""
        task = self._forgetting.get(pseudonym)
        if task is not None and not task.done():
            await asyncio.wait({task}, timeout=timeout)

    async def finish_unfinished(self) -> None:
        """Retry the exits the database interrupted: delete what the ledger still holds, then pause."""
        for pseudonym, started in list(self._unfinished.items()):
            try:
                recorded = await asyncio.to_thread(self._store.recorded_before, pseudonym, started)
            except Exception as error:  # noqa: BLE001 - still unavailable: next round
                logger.warning("ledger still unavailable after a quick exit: %s", type(error).__name__)
                return
            erased = await self._eraser.erase(recorded)
            self._eraser.retry_later(erased.retry, erased.retry_after)
            if await self._settle(pseudonym, erased.done, erased.retry):
                self._unfinished.pop(pseudonym, None)

    def _known(
        self, pseudonym: str, channel: str, chat: ChatRef, incoming_id: int | None
    ) -> list[LedgerEntry]:
        known = self._recent.of(pseudonym) + self._pending.records_of(pseudonym)
        if incoming_id is not None:
            known.append(LedgerEntry(pseudonym, chat, incoming_id, channel))
        return list({entry.message_id: entry for entry in known}.values())

    async def _recorded(self, pseudonym: str) -> list[LedgerEntry] | None:
        """The ledger's entries of the person; None when the database cannot be read now."""
        try:
            reading = asyncio.to_thread(self._store.recorded, pseudonym)
            return await asyncio.wait_for(reading, LEDGER_READ_TIMEOUT)
        except Exception as error:  # noqa: BLE001 - locked or down: delete what memory knows, finish later
            logger.warning("ledger unavailable during a quick exit: %s", type(error).__name__)
            return None

    async def _settle(self, pseudonym: str, done: list[LedgerEntry], retry: list[LedgerEntry]) -> bool:
        """Forget deleted ids, push back the others, pause the requests; False if the database refused."""
        try:
            told = await asyncio.to_thread(self._store.after_exit, pseudonym, done, retry, self._now())
        except Exception as error:  # noqa: BLE001 - deliveries stay held until this succeeds
            logger.warning("requests not paused yet after a quick exit: %s", type(error).__name__)
            return False
        if told:
            self._wake_delivery()
        return True

    def _forget_engine(self, pseudonym: str) -> None:
        """Ask the engine to forget the conversation, in the background, with retries."""
        self._forgetting[pseudonym] = asyncio.ensure_future(self._forget_with_retries(pseudonym))

    async def _forget_with_retries(self, pseudonym: str) -> None:
        try:
            for attempt in range(FORGET_ATTEMPTS):
                if await self._engine.forget(pseudonym):
                    return
                await asyncio.sleep(2**attempt)
            logger.error("the engine did not forget a conversation after %d attempts", FORGET_ATTEMPTS)
        except Exception as error:  # noqa: BLE001 - a background task: report, never raise into nothing
            logger.error("engine forget failed: %s", type(error).__name__)
        finally:
            self._forgetting.pop(pseudonym, None)

    async def stop(self) -> None:
        """Let the pending "forget" calls finish (bounded) before the engine client closes."""
        pending = [task for task in self._forgetting.values() if not task.done()]
        if pending:
            await asyncio.wait(pending, timeout=5)

    async def _leave_line(self, channel: Channel, chat: ChatRef) -> None:
        """The one innocuous line an operator may choose to leave (not recorded: it is meant to stay)."""
        if not self._line:
            return
        try:
            await channel.send(chat, Screen(self._line, "fr"))
        except Exception as error:  # noqa: BLE001 - the exit itself is done
            logger.warning("quick exit line not sent: %s", type(error).__name__)
