"""Replicas on this machine (issue 17), with deploy/haproxy.cfg, PostgreSQL and Redis:

1. one of each process, then two of each, under the same load without failures: messages per
   second, time per message and the peak memory of every process, side by side;
2. two of each while one process at a time is killed at random and restarted: 300 conversations,
   30 people at a time, handovers included; every figure of what was lost, doubled or forgotten.

The Telegram side is the local Bot API stand-in; each conversation is a new Telegram user
(tests/support/replica_people.py says what they do and what is checked).

    python scripts/replica_bench.py
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmark import peak_rss_mb  # noqa: E402

from tests.support.fake_bot_api import FakeBotAPI  # noqa: E402
from tests.support.replica_people import (  # noqa: E402
    Figures,
    outcome,
    prepare_directory,
    talk,
    transcript,
    users_of,
)
from tests.support.replicas import (  # noqa: E402
    REDIS_URL,
    Cluster,
    build_cluster,
    empty_redis,
    fresh_postgres_database,
    start_cluster,
    stop_cluster,
)

LOAD_PEOPLE, LOAD_CONVERSATIONS = 30, 120
CHAOS_PEOPLE, CHAOS_CONVERSATIONS, KILL_EVERY = 30, 300, 5.0


async def run_once(count: int, people: int, conversations: int, kill_every: float | None) -> None:
    """One cluster of `count` replicas of each kind, one load, its figures printed."""
    os.environ["CONVERSATION_STORE"] = "redis"
    os.environ["REDIS_URL"] = REDIS_URL
    async with FakeBotAPI() as api, httpx.AsyncClient() as http:
        workdir = tempfile.mkdtemp(prefix="replica-bench-")  # kept when a run goes wrong: its logs
        with fresh_postgres_database() as database_url:
            empty_redis()
            cluster = build_cluster(Path(workdir), database_url, api, count)
            prepare_directory(cluster.settings)
            stop = asyncio.Event()
            try:
                await start_cluster(cluster, http)
                chaos = asyncio.ensure_future(cluster.chaos(kill_every, stop, http)) if kill_every else None
                started = time.monotonic()
                figures = await talk(api, http, cluster.webhook_url, people, conversations)
                elapsed = time.monotonic() - started
                stop.set()
                if chaos is not None:
                    await chaos
                memory = {r.name: peak_rss_mb(r.process.pid) for r in cluster.replicas if r.process}
                found = await outcome(cluster.settings, api, figures, REDIS_URL, cluster.killed_at)
                odd = figures.unanswered + figures.unacknowledged + figures.wrong
                transcripts = {user: transcript(api, user) for user in users_of(odd)}
            finally:
                stop.set()
                stop_cluster(cluster)
    report(cluster, count, people, figures, elapsed, memory, found.summary(), kill_every)
    if figures.wrong or figures.unanswered or figures.unacknowledged or found.unexplained_doubles:
        print(f"  logs of every process kept in {workdir}/logs")
        for user, lines in transcripts.items():
            print(f"  what user {user} was shown:", *lines, sep="\n    ")
    else:
        shutil.rmtree(workdir, ignore_errors=True)


def report(
    cluster: Cluster,
    count: int,
    people: int,
    figures: Figures,
    elapsed: float,
    memory: dict[str, float],
    found: dict[str, object],
    kill_every: float | None,
) -> None:
    kills = f", one process killed every {kill_every:.0f} s" if kill_every else ", nothing killed"
    print(f"{count} replica(s) of each process, {people} people at a time{kills}:")
    print(f"  {figures.messages / elapsed:.1f} messages/s over {elapsed:.0f} s")
    for name, value in {**figures.summary(), **found}.items():
        print(f"  {name}: {value}")
    for wrong in figures.wrong[:5]:
        print(f"  wrong screen: {wrong}")
    for step in figures.unacknowledged[:5]:
        print(f"  never acknowledged: {step}")
    for step in figures.unanswered[:5]:
        print(f"  unanswered: {step}")
    if cluster.kills:
        print(f"  killed and restarted ({len(cluster.kills)}): {', '.join(cluster.kills)}")
    for name, mib in memory.items():
        print(f"  peak RSS {name}: {mib:.0f} MiB (since its last start)")
    print(f"  peak RSS all processes: {sum(memory.values()):.0f} MiB")


async def main() -> None:
    print("replicas behind HAProxy (deploy/haproxy.cfg), PostgreSQL and Redis, 2 cores")
    await run_once(1, LOAD_PEOPLE, LOAD_CONVERSATIONS, None)
    await run_once(2, LOAD_PEOPLE, LOAD_CONVERSATIONS, None)
    await run_once(2, CHAOS_PEOPLE, CHAOS_CONVERSATIONS, KILL_EVERY)


if __name__ == "__main__":
    asyncio.run(main())
