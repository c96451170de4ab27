"""Delivers the handover outbox: notices to association groups, notices and words to people.

Each due row is claimed for a lease under this sender's name, and the lease is renewed just
before sending; a round that outlasted the lease skips the row, which another sender may hold
(audit M12). A crash before a row is marked sent means it is sent again after the lease: at
least once, and exactly once unless the process dies between the channel's answer and the
commit that follows it. Failures retry with backoff. A group
notice that cannot be delivered loses nothing: the request is in the inbox. What goes to a person goes
through the turn pipeline (`DeliverToPerson`): in order with their turns, never during or after
a quick exit, recorded for erasure in the same transaction that marks it sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.turn.channel import Channel
from bot.turn.pipeline import TurnPipeline
from core import safe_times
from core.clock import Clock, utc_now
from core.handover_messages import Kind, group_screen, person_screen
from core.places import departement_name
from core.screens import Screen
from monitoring.metrics import DELIVERIES
from storage.directory import Directory
from storage.handovers import GROUP, Handovers, OutboxItem

logger = logging.getLogger(__name__)

# Posts a screen in a group and returns the id of the message holding its buttons.
SendToGroup = Callable[[int, Screen], Awaitable[int]]
# Shows a screen to the person of an outbox item; False when it must wait (a quick exit).
DeliverToPerson = Callable[[OutboxItem, Screen], Awaitable[bool]]
# Replaces the text of a message posted in a group (chat, message id, new screen).
EditInGroup = Callable[[int, int, Screen], Awaitable[None]]
HELD_RETRY = timedelta(seconds=30)


def through_pipeline(pipeline: TurnPipeline, channel: Channel, handovers: Handovers) -> DeliverToPerson:
    """Deliver to a person through the turn pipeline: in order with their turns, never during or
    after a quick exit, marked sent in the same transaction that records it for erasure."""

    async def deliver_to_person(item: OutboxItem, screen: Screen) -> bool:
        if item.chat_id is None:
            return False
        return await pipeline.deliver(
            item.pseudonym,
            channel,
            item.chat_id,
            screen,
            still_wanted=lambda: handovers.deliverable(item.id),
            also=lambda session: handovers.mark_sent(item.id, session=session),
        )

    return deliver_to_person


class DeliveryWorker:
    """Sends what the outbox holds for the people of its channels (and group notices, when it can
    post in groups), and moves unanswered requests on."""

    def __init__(
        self,
        handovers: Handovers,
        directory: Directory,
        send_to_group: SendToGroup | None,
        deliver_to_person: DeliverToPerson,
        edit_in_group: EditInGroup | None,
        association_language: str,
        inbox_url: str,
        wake: asyncio.Event,
        clock: Clock = utc_now,
        *,
        channels: tuple[str, ...] = ("telegram",),
    ) -> None:
        self._handovers = handovers
        self._directory = directory
        self._send_to_group = send_to_group
        self._deliver_to_person = deliver_to_person
        self._edit_in_group = edit_in_group
        self._language = association_language
        self._inbox_url = inbox_url
        self.wake = wake
        self._now = clock
        self._channels = channels

    async def run_once(self) -> int:
        """Expire, apply retention, then deliver every due message; returns the count sent."""
        await asyncio.to_thread(self._handovers.expire_unanswered)
        await asyncio.to_thread(self._handovers.apply_retention)
        sent = 0
        groups = self._send_to_group is not None
        for item in await asyncio.to_thread(self._handovers.due, None, 50, self._channels, groups):
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
        if item.kind == Kind.REDACT:
            return await self._redact(item)
        target = self._target(item)
        if target is None:
            return 0
        chat_id, screen = target
        try:
            if item.target == GROUP and self._send_to_group is not None:
                if not await asyncio.to_thread(self._handovers.still_claimed, item.id):
                    return 0  # the lease ran out during this round: another sender may have it
                group = int(chat_id)
                message_id = await self._send_to_group(group, screen)
                await asyncio.to_thread(self._handovers.mark_sent, item.id, group, message_id)
                DELIVERIES.labels(item.target, "sent").inc()
                return 1
            if not await self._deliver_to_person(item, screen):
                await asyncio.to_thread(self._handovers.mark_not_now, item.id, self._now() + HELD_RETRY)
                DELIVERIES.labels(item.target, "held").inc()
                return 0
        except Exception as error:  # noqa: BLE001 - any failure is retried later, never lost
            dropped = await asyncio.to_thread(self._handovers.mark_failed, item.id)
            DELIVERIES.labels(item.target, "dropped" if dropped else "failed").inc()
            logger.warning(
                "delivery failed (%s), %s", type(error).__name__, "dropped" if dropped else "will retry"
            )
            return 0
        DELIVERIES.labels(item.target, "sent").inc()
        return 1

    async def _redact(self, item: OutboxItem) -> int:
        """Replace a copy of the request posted in a group by a text without personal details."""
        where = item.body or {}
        try:
            screen = group_screen(item, self._language, None, self._inbox_url)
            if self._edit_in_group is None:
                raise LookupError("this process does not post in groups")
            await self._edit_in_group(int(where["chat"]), int(where["message"]), screen)
        except Exception as error:  # noqa: BLE001 - retried later, never lost
            await asyncio.to_thread(self._handovers.mark_failed, item.id)
            logger.warning("group copy not redacted yet: %s", type(error).__name__)
            return 0
        await asyncio.to_thread(self._handovers.mark_sent, item.id)
        return 1

    def _target(self, item: OutboxItem) -> tuple[int | str, Screen] | None:
        """Where and what to send; None when it must wait (no group yet, outside safe times)."""
        if item.target == GROUP:
            group = self._directory.group_of(item.association_id or "")
            if group is None:  # no confirmed group: the inbox alone holds the request
                self._handovers.skip_notice(item.id)
                return None
            name = departement_name(item.draft.departement) if item.draft and item.draft.departement else None
            return group, group_screen(item, self._language, name, self._inbox_url)
        now = self._now()
        # "When I write" messages only become due once the person has written.
        allowed = item.safe_times == safe_times.WHEN_I_WRITE or safe_times.is_allowed(item.safe_times, now)
        if item.chat_id is None or not allowed:
            when = safe_times.next_allowed(item.safe_times, now) if item.chat_id else None
            self._handovers.mark_not_now(item.id, when)
            return None
        association = self._directory.get(item.association_id or "")
        return item.chat_id, person_screen(item, association.name if association else "—")
