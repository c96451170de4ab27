"""Issue 17: two bot instances, two Rasa servers and two action servers behind HAProxy, on
PostgreSQL and Redis, while a new model is rolled out to the Rasa servers one at a time and then
one process at a time is killed and restarted: every message gets
its reply in its language, no form answer is forgotten, no handover is lost or stored twice, a
notice is repeated only when its sender died in the instant after sending it, and a quick exit
leaves nothing of the conversation in Redis. (The larger run, 300
conversations from 30 people at a time, is in `make bench`: scripts/replica_bench.py.)"""

from __future__ import annotations

import asyncio
import os
import shutil

import httpx
import pytest

from tests.support.fake_bot_api import FakeBotAPI
from tests.support.replica_people import notices_of, outcome, prepare_directory, talk, transcript, users_of
from tests.support.replicas import (
    HAPROXY,
    REDIS_URL,
    build_cluster,
    empty_redis,
    fresh_postgres_database,
    start_cluster,
    stop_cluster,
)

PEOPLE, CONVERSATIONS, KILL_EVERY, KILLS = 10, 30, 4.0, 6


@pytest.mark.replicas
async def test_nothing_is_lost_while_processes_are_killed_one_at_a_time(tmp_path, monkeypatch):
    if not os.access(HAPROXY, os.X_OK):
        pytest.fail("HAProxy is missing: `make test` installs it (scripts/system-packages.sh)")
    monkeypatch.setenv("CONVERSATION_STORE", "redis")
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    async with FakeBotAPI() as api, httpx.AsyncClient() as http:
        with fresh_postgres_database() as database_url:
            empty_redis()
            cluster = build_cluster(tmp_path, database_url, api, count=2)
            prepare_directory(cluster.settings)
            stop = asyncio.Event()
            try:
                await start_cluster(cluster, http)
                new_model = tmp_path / "new-model.tar.gz"  # the model of a new release
                shutil.copyfile(cluster.settings.model_path, new_model)
                done = asyncio.Event()

                async def disturb() -> None:  # while people talk, and they talk until it is done
                    await cluster.roll_out(new_model, http)
                    await cluster.chaos(KILL_EVERY, stop, http, kills=KILLS)
                    done.set()

                disturbing = asyncio.ensure_future(disturb())
                figures = await talk(api, http, cluster.webhook_url, PEOPLE, CONVERSATIONS, until=done)
                stop.set()
                await disturbing
                found = await outcome(cluster.settings, api, figures, REDIS_URL, cluster.killed_at)
            finally:
                stop.set()
                stop_cluster(cluster)
    print({**figures.summary(), **found.summary(), "killed": cluster.kills, "rolled out": cluster.rolled_out})
    for reference, count in found.notices.items():
        if count > 1:
            print("notified twice:", notices_of(api, reference), "killed at:", cluster.killed_at)
    assert cluster.rolled_out == ["rasa-1", "rasa-2"], "every Rasa server took the new model in turn"
    assert len(cluster.kills) >= KILLS, "processes were killed while people talked"
    silent = figures.unanswered + figures.unacknowledged
    assert not silent, (figures.summary(), {user: transcript(api, user) for user in users_of(silent)})
    assert len(figures.handovers_confirmed) == figures.handovers_started
    assert found.missing_or_wrong == 0 and found.stored_as_given == len(figures.handovers_confirmed)
    assert all(found.notices.values()), "no request left without its notice"
    assert found.left_in_redis == 0
    assert figures.wrong == [], (figures.summary(), {u: transcript(api, u) for u in users_of(figures.wrong)})
    # A notice goes at least once: a second copy only when its sender was killed between
    # Telegram taking the first and the commit that records it (bot/handover/delivery.py).
    doubles = {reference: notices_of(api, reference) for reference in found.unexplained_doubles}
    assert not doubles, (found.summary(), doubles, cluster.killed_at)
