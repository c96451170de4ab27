"""Benchmark: 200 messages through the console path with a warm engine.

Prints p50/p95 latency per message, messages per second (sequential and with 8 people at once),
and the peak resident memory of each process. Uses its own ports so it starts its own engine.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from pathlib import Path

from app.config import load_settings
from app.processes import EngineStack
from app.runtime import BotRuntime
from bot.console import ConsoleChat, reply_record
from bot.turn.inputs import Person
from core import payloads

MESSAGES = [
    "bonjour", "je dors dehors ce soir", "quels sont mes droits", payloads.MENU,
    "help he is going to hurt me", "I have nowhere to sleep tonight", payloads.RIGHTS,
    "je veux parler à une association", "I'm a nurse", payloads.choose_language("en"),
    "what are my rights", "merci", "zzkq vrmbl", payloads.EMERGENCY, "au revoir",
]  # fmt: skip
COUNT = 200
PEOPLE = 20


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def one(chat: ConsoleChat, index: int) -> float:
    """Send one message and render its replies as the console does; return milliseconds."""
    person = Person("bench", f"person-{index % PEOPLE}")
    started = time.perf_counter()
    screens, _ = await chat.exchange(person, MESSAGES[index % len(MESSAGES)])
    [reply_record(person.user_id, screen) for screen in screens]
    return (time.perf_counter() - started) * 1000


async def run() -> None:
    os.environ.setdefault("RASA_PORT", "16005")
    os.environ.setdefault("ACTIONS_PORT", "16055")
    settings = load_settings()
    stack = EngineStack(settings)
    await stack.ensure_running()
    try:
        runtime = BotRuntime.build(settings, flood_control=False)
        service = ConsoleChat(runtime.pipeline)
        runtime.attach(service.channel)
        for index in range(30):  # warm-up
            await one(service, index)
        started = time.perf_counter()
        latencies = [await one(service, index) for index in range(COUNT)]
        sequential_rate = COUNT / (time.perf_counter() - started)
        started = time.perf_counter()
        for batch in range(0, COUNT, 8):
            await asyncio.gather(*(one(service, index) for index in range(batch, min(batch + 8, COUNT))))
        concurrent_rate = COUNT / (time.perf_counter() - started)
        report(latencies, sequential_rate, concurrent_rate, stack.pids)
    finally:
        stack.stop()


def report(latencies: list[float], sequential: float, concurrent: float, pids: dict[str, int]) -> None:
    """Print the figures."""
    ordered = sorted(latencies)
    p95 = ordered[int(0.95 * len(ordered)) - 1]
    print(f"messages: {len(latencies)} (warm engine, console path, {PEOPLE} people)")
    print(f"latency p50: {statistics.median(ordered):.1f} ms   p95: {p95:.1f} ms   max: {ordered[-1]:.1f} ms")
    print(f"throughput: {sequential:.1f} msg/s sequential, {concurrent:.1f} msg/s with 8 at once")
    memory = {"bot (this process)": peak_rss_mb(os.getpid())}
    memory.update({f"{role} server": peak_rss_mb(pid) for role, pid in pids.items()})
    for name, mib in memory.items():
        print(f"peak RSS {name}: {mib:.0f} MiB")
    print(f"peak RSS all processes: {sum(memory.values()):.0f} MiB")
    if not pids:
        print("note: engine was already running on these ports; its memory is not included")


if __name__ == "__main__":
    asyncio.run(run())
