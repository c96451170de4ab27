"""The delivery worker on a real database: failures retry with backoff, safe times hold notices."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.handover_delivery import DeliveryWorker
from core.directory import load_seed
from core.handover import Draft
from core.handover_routing import next_association_for
from core.keyed_hash import KeyedHasher
from core.screens import Screen
from storage.directory import Directory
from storage.handovers import Handovers, Policy

GROUP = -100424242


class FlakyTelegram:
    """Refuses the first `failures` sends, then records them."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.sent: list[tuple[int, Screen]] = []

    async def send(self, chat_id: int, screen: Screen) -> int:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("group unreachable")
        self.sent.append((chat_id, screen))
        return len(self.sent)


@pytest.fixture
def stores(db_engine, cipher):
    directory = Directory(db_engine, KeyedHasher("worker-test-key-0123456789"))
    directory.import_seed(load_seed())
    directory.enroll(directory.new_enrollment_code("ruelle"), GROUP, "member")
    policy = Policy(max_attempts=5, lease=timedelta(seconds=0))
    return directory, Handovers(db_engine, cipher, next_association_for(directory), policy)


async def test_an_unreachable_group_is_retried_with_backoff_not_lost(stores, person, monkeypatch):
    directory, handovers = stores
    handovers.create(person, Draft("ruelle", "anonymous", "fr", "33"), "flaky")
    telegram = FlakyTelegram(failures=2)
    worker = DeliveryWorker(handovers, directory, telegram.send, "fr")
    assert await worker.run_once() == 0
    assert await worker.run_once() == 0, "the retry waits for its backoff"
    monkeypatch.setattr("storage.handovers._now", lambda: _later(minutes=5))
    assert await worker.run_once() == 0  # second failure
    monkeypatch.setattr("storage.handovers._now", lambda: _later(minutes=10))
    assert await worker.run_once() == 1
    ((chat, screen),) = telegram.sent
    assert chat == GROUP and "33" in screen.text


async def test_a_notice_waits_for_the_persons_safe_times(stores, person):
    directory, handovers = stores
    reference = handovers.create(person, Draft("ruelle", "contact", "fr", "33", times="first"), "k").reference
    telegram = FlakyTelegram(failures=0)
    worker = DeliveryWorker(handovers, directory, telegram.send, "fr")
    await worker.run_once()
    handovers.attach_chat(person, 777)
    assert handovers.answer(reference, "ruelle", "member", accept=True) == "accepted"
    await worker.run_once()
    assert [chat for chat, _ in telegram.sent] == [GROUP], "held until the person writes"
    handovers.person_wrote(person)
    await worker.run_once()
    assert [chat for chat, _ in telegram.sent] == [GROUP, 777]


def _later(minutes: int):
    from datetime import datetime, timezone

    return datetime.now(timezone.utc) + timedelta(minutes=minutes)
