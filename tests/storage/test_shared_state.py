"""What bot instances share through Redis (issue 17): each person's lock, held while a turn goes
on and freed one lease after its holder died; and one flood window for all instances."""

from __future__ import annotations

import asyncio
import time
import uuid

import redis.asyncio

from bot.flood import Verdict
from bot.shared_flood import SharedFloodGate
from bot.turn.shared_locks import SharedPersonLocks
from tests.storage.conftest import REDIS_URL


async def test_a_person_is_answered_by_one_instance_at_a_time_even_past_the_lease(redis_client):
    first = SharedPersonLocks(redis.asyncio.Redis.from_url(REDIS_URL), lease_seconds=0.6, wait_seconds=5)
    second = SharedPersonLocks(redis.asyncio.Redis.from_url(REDIS_URL), lease_seconds=0.6, wait_seconds=5)
    person, order = uuid.uuid4().hex, []

    async def turn(locks: SharedPersonLocks, name: str, seconds: float) -> None:
        async with locks.of(person):
            order.append(f"{name} starts")
            await asyncio.sleep(seconds)
            order.append(f"{name} ends")

    slow = asyncio.ensure_future(turn(first, "first", 1.5))  # longer than a lease: it is renewed
    await asyncio.sleep(0.1)
    await turn(second, "second", 0)
    await slow
    assert order == ["first starts", "first ends", "second starts", "second ends"]


async def test_a_lock_whose_holder_died_is_free_after_one_lease(redis_client):
    person = uuid.uuid4().hex
    dead = redis.asyncio.Redis.from_url(REDIS_URL).lock(f"person-lock:{person}", timeout=0.8)
    assert await dead.acquire()  # an instance took it, then was killed: no release, no renewal
    locks = SharedPersonLocks(redis.asyncio.Redis.from_url(REDIS_URL), lease_seconds=0.8, wait_seconds=5)
    started = time.monotonic()
    async with locks.of(person):
        waited = time.monotonic() - started
    assert 0.3 < waited < 2.0


def test_the_flood_window_is_one_for_every_instance(redis_client):
    person = uuid.uuid4().hex
    one, two = (SharedFloodGate(redis_client, max_messages=3, window_seconds=10) for _ in range(2))
    verdicts = [gate.check(person) for gate in (one, two, one, two, one)]
    assert verdicts == [Verdict.PROCESS] * 3 + [Verdict.WARN, Verdict.ALREADY_WARNED]
    assert SharedFloodGate(redis_client, 3, 10).check(uuid.uuid4().hex) is Verdict.PROCESS


def test_an_update_delivered_again_to_either_instance_counts_once(redis_client):
    person = uuid.uuid4().hex
    one, two = (SharedFloodGate(redis_client, max_messages=2, window_seconds=10) for _ in range(2))
    repeats = [gate.check(person, "telegram-5-100") for gate in (one, two, one, two)]
    assert [*repeats, two.check(person, "telegram-6-101")] == [Verdict.PROCESS] * 5
    assert one.check(person, "telegram-7-102") is Verdict.WARN
