"""The delivery worker on a real database: failures retry with backoff, safe times hold notices."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from bot.handover.delivery import DeliveryWorker
from core.directory import load_seed
from core.handover import Draft
from core.handover_routing import next_association_for
from core.keyed_hash import KeyedHasher
from core.screens import Screen
from storage.directory import Directory
from storage.handovers import Handovers, OutboxItem, Policy
from tests.support.inbox import enroll_group

GROUP = -100424242
INBOX = "https://inbox.example"


class Clock:
    """A clock the test moves forward."""

    def __init__(self) -> None:
        self.now = datetime.now(timezone.utc)

    def __call__(self) -> datetime:
        return self.now


class FlakyTelegram:
    """Refuses the first `failures` sends, then records them (groups and people alike)."""

    def __init__(self, handovers: Handovers, failures: int) -> None:
        self.handovers = handovers
        self.failures = failures
        self.sent: list[tuple[int, Screen]] = []
        self.edited: list[tuple[int, int, Screen]] = []

    async def send(self, chat_id: int, screen: Screen) -> int:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("group unreachable")
        self.sent.append((chat_id, screen))
        return len(self.sent)

    async def deliver(self, item: OutboxItem, screen: Screen) -> bool:
        await self.send(item.chat_id or 0, screen)
        self.handovers.mark_sent(item.id)
        return True

    def worker(self, directory: Directory, clock: Clock) -> DeliveryWorker:
        wake = asyncio.Event()
        return DeliveryWorker(
            self.handovers, directory, self.send, self.deliver, self.edit, "fr", INBOX, wake, clock
        )

    async def edit(self, chat_id: int, message_id: int, screen: Screen) -> None:
        self.edited.append((chat_id, message_id, screen))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def stores(db_engine, cipher, clock):
    directory = Directory(db_engine, KeyedHasher("worker-test-key-0123456789"))
    directory.import_seed(load_seed())
    enroll_group(directory, "ruelle", GROUP)
    policy = Policy(max_attempts=5, lease=timedelta(seconds=30))
    return directory, Handovers(db_engine, cipher, next_association_for(directory), policy, clock)


async def test_an_unreachable_group_is_retried_with_backoff_not_lost(stores, person, clock):
    directory, handovers = stores
    handovers.create(person, Draft("ruelle", "anonymous", "fr", "33"), "flaky")
    telegram = FlakyTelegram(handovers, failures=2)
    worker = telegram.worker(directory, clock)
    assert await worker.run_once() == 0
    assert await worker.run_once() == 0, "the retry waits for its backoff"
    clock.now += timedelta(minutes=5)
    assert await worker.run_once() == 0  # second failure
    clock.now += timedelta(minutes=5)
    assert await worker.run_once() == 1
    ((chat, screen),) = telegram.sent
    assert chat == GROUP and "33" in screen.text and f"{INBOX}/requests/" in screen.text


async def test_without_a_confirmed_group_the_notice_is_skipped_and_the_request_waits_in_the_inbox(
    stores, person, clock
):
    directory, handovers = stores
    directory.enroll(directory.new_enrollment_code("ccem"), -100777, "member")  # not confirmed yet
    handovers.create(person, Draft("ccem", "anonymous", "fr", "75"), "no-group")
    telegram = FlakyTelegram(handovers, failures=0)
    assert await telegram.worker(directory, clock).run_once() == 0
    assert telegram.sent == [], "a group nobody confirmed gets nothing"
    assert handovers.due(clock.now + timedelta(days=1)) == [], "nothing left to retry"
    assert handovers.requests_of(person)[0].status == "waiting"


async def test_a_notice_waits_for_the_persons_safe_times(stores, person, clock):
    directory, handovers = stores
    reference = handovers.create(person, Draft("ruelle", "contact", "fr", "33", times="first"), "k").reference
    telegram = FlakyTelegram(handovers, failures=0)
    worker = telegram.worker(directory, clock)
    await worker.run_once()
    handovers.attach_chat(person, 777)
    assert handovers.answer(reference, "ruelle", "member", accept=True) == "accepted"
    await worker.run_once()
    assert [chat for chat, _ in telegram.sent] == [GROUP], "held until the person writes"
    handovers.person_wrote(person)
    await worker.run_once()
    assert [chat for chat, _ in telegram.sent] == [GROUP, 777]


async def test_nothing_reaches_a_person_whose_request_is_paused(stores, person, clock):
    """A quick exit pauses the request: due notices stay in the outbox, whatever their time."""
    directory, handovers = stores
    reference = handovers.create(person, Draft("ruelle", "contact", "fr", "33"), "paused").reference
    telegram = FlakyTelegram(handovers, failures=0)
    worker = telegram.worker(directory, clock)
    await worker.run_once()
    handovers.attach_chat(person, 777)
    handovers.answer(reference, "ruelle", "member", accept=True)
    handovers.pause(person)
    await worker.run_once()
    assert [chat for chat, _ in telegram.sent] == [GROUP, GROUP], "the request, then 'do not contact'"
    handovers.pause(person)  # a second exit tells the group nothing more
    await worker.run_once()
    assert len(telegram.sent) == 2
