"""Benchmark of the web chat: 200 conversations at once, through the real supervised web chat
process, the Rasa server and the action server with the trained model, on this machine.

Each conversation opens (`/api/start`), then sends four messages one after the other; all 200 run
concurrently. Prints the p50/p95/max time per message, the messages per second, the answers that
were not a normal reply (limits, errors), and the peak memory of each process.

    python scripts/webchat_bench.py
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmark import peak_rss_mb, percentile  # noqa: E402

from app.config import load_settings  # noqa: E402
from app.processes import EngineStack  # noqa: E402
from core.i18n import tr  # noqa: E402

CONVERSATIONS = 200
MESSAGES = ["bonjour", "je dors dehors ce soir", "quels sont mes droits", "merci"]


FALLBACK = tr("fr", "fallback.engine_unavailable")[:40]


async def conversation(
    client: httpx.AsyncClient, latencies: list[float], problems: list[int], fallbacks: list[int]
) -> None:
    token = (await client.post("/api/start", json={})).json()["token"]
    for text in MESSAGES:
        started = time.perf_counter()
        response = await client.post("/api/message", json={"token": token, "text": text})
        latencies.append((time.perf_counter() - started) * 1000)
        messages = response.json().get("messages") if response.status_code == 200 else None
        if not messages:
            problems.append(response.status_code)
        elif any(FALLBACK in message["text"] for message in messages):
            fallbacks.append(1)  # the engine did not answer within ENGINE_TIMEOUT: the static reply


async def run() -> None:
    os.environ.setdefault("RASA_PORT", "16105")
    os.environ.setdefault("ACTIONS_PORT", "16155")
    os.environ.setdefault("WEBCHAT_PORT", "16191")
    os.environ.setdefault("WEBCHAT_ADDRESS_LIMIT", "100000")  # every conversation comes from 127.0.0.1 here
    os.environ.setdefault("INSTANCE_DIR", tempfile.mkdtemp(prefix="webchat-bench-"))
    settings = load_settings()
    stack = EngineStack(settings, roles=("actions", "engine", "webchat"))
    await stack.ensure_running()
    latencies: list[float] = []
    problems: list[int] = []
    fallbacks: list[int] = []
    try:
        limits = httpx.Limits(max_connections=CONVERSATIONS)
        async with httpx.AsyncClient(base_url=settings.webchat_url, timeout=120, limits=limits) as client:
            await conversation(client, [], [], [])  # warm-up
            started = time.perf_counter()
            await asyncio.gather(
                *(conversation(client, latencies, problems, fallbacks) for _ in range(CONVERSATIONS))
            )
            elapsed = time.perf_counter() - started
        memory = {f"{role}": peak_rss_mb(pid) for role, pid in stack.pids.items()}
    finally:
        stack.stop()
    print(f"web chat: {CONVERSATIONS} conversations at once, {len(MESSAGES)} messages each, 2 cores")
    print(
        f"  per message p50 {statistics.median(latencies):.0f} ms   p95 {percentile(latencies, 0.95):.0f} ms"
        f"   max {max(latencies):.0f} ms; {len(latencies) / elapsed:.1f} msg/s; "
        f"answers that were not a reply: {len(problems)}"
    )
    print(
        f"  static replies because the engine took longer than ENGINE_TIMEOUT "
        f"({settings.engine_timeout:.0f} s): {len(fallbacks)} of {len(latencies)}"
    )
    for name, mib in memory.items():
        print(f"  peak RSS {name} process: {mib:.0f} MiB")
    print(f"  peak RSS all three: {sum(memory.values()):.0f} MiB")


if __name__ == "__main__":
    asyncio.run(run())
