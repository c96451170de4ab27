"""Delivers the handover outbox: requests to association groups, notices to people.

Each due row is claimed for a lease before sending, so a crash before `mark_sent` means the row
is sent again after the lease: at least once, and exactly once unless the process dies between
Telegram's answer and the commit that follows it. Failures retry with backoff; a group that
stays unreachable passes the request to the next association. Notices to a person wait for
their safe times and are recorded in the message ledger so that a quick exit erases them too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone

from core import safe_times
from core.handover_messages import group_screen, person_screen
from core.places import departement_name
from core.screens import Screen
from storage.directory import Directory
from storage.handovers import GROUP, Handovers, OutboxItem

logger = logging.getLogger(__name__)

# Sends a screen to a chat and returns the id of the message holding its buttons.
Send = Callable[[int, Screen], Awaitable[int]]
# Records a message sent to a person (pseudonym, chat id, message id) for erasure.
Record = Callable[[str, int, int], Awaitable[None]]


class DeliveryWorker:
    """Sends what the outbox holds, and moves unanswered requests on."""

    def __init__(
        self,
        handovers: Handovers,
        directory: Directory,
        send: Send,
        association_language: str,
        record: Record | None = None,
    ) -> None:
        self._handovers = handovers
        self._directory = directory
        self._send = send
        self._language = association_language
        self._record = record
        self.wake = asyncio.Event()

    async def run_once(self) -> int:
        """Expire, apply retention, then deliver every due message; returns the count sent."""
        await asyncio.to_thread(self._handovers.expire_unanswered)
        await asyncio.to_thread(self._handovers.apply_retention)
        sent = 0
        for item in await asyncio.to_thread(self._handovers.due):
            sent += await self._deliver(item)
        return sent

    async def run_forever(self, every: float) -> None:
        """Deliver now and then, and at once when woken (a request was just stored)."""
        while True:
            try:
                await self.run_once()
            except Exception as error:  # noqa: BLE001 - keep delivering; the outbox keeps the work
                logger.error("delivery round failed: %s", type(error).__name__)
            self.wake.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=every)

    async def _deliver(self, item: OutboxItem) -> int:
        target = self._target(item)
        if target is None:
            return 0
        chat_id, screen = target
        try:
            message_id = await self._send(chat_id, screen)
        except Exception as error:  # noqa: BLE001 - any failure is retried later, never lost
            dropped = await asyncio.to_thread(self._handovers.mark_failed, item.id)
            logger.warning(
                "delivery failed (%s), %s", type(error).__name__, "dropped" if dropped else "will retry"
            )
            return 0
        group_chat = chat_id if item.target == GROUP else None
        await asyncio.to_thread(
            self._handovers.mark_sent, item.id, group_chat, message_id if group_chat else None
        )
        if item.target != GROUP and self._record is not None:
            await self._record(item.pseudonym, chat_id, message_id)
        return 1

    def _target(self, item: OutboxItem) -> tuple[int, Screen] | None:
        """Where and what to send; None when it must wait (no group yet, outside safe times)."""
        if item.target == GROUP:
            group = self._directory.group_of(item.association_id or "")
            if group is None:
                self._handovers.mark_failed(item.id)
                return None
            name = departement_name(item.draft.departement) if item.draft and item.draft.departement else None
            return group, group_screen(item, self._language, name)
        now = datetime.now(timezone.utc)
        # "When I write" messages only become due once the person has written.
        allowed = item.safe_times == safe_times.WHEN_I_WRITE or safe_times.is_allowed(item.safe_times, now)
        if item.chat_id is None or not allowed:
            when = safe_times.next_allowed(item.safe_times, now) if item.chat_id else None
            self._handovers.mark_not_now(item.id, when)
            return None
        association = self._directory.get(item.association_id or "")
        return item.chat_id, person_screen(item, association.name if association else "—")
