"""Benchmark of the turn pipeline with a warm engine, on its own ports and its own database.

Measures the same 200 messages (texts and button presses from 20 people) through two channels:
Telegram (the production application polling the Bot API stand-in: the whole pipeline, database
included) and the console. Prints, per channel: p50/p95 latency per message, messages per second
(one at a time, and 8 people at once), database transactions per turn; then the median time of
messages 1-20 and 490-510 of one long conversation, and the peak memory of each process.

    python scripts/benchmark.py
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from long_conversation import CYCLE  # noqa: E402

from app.bot_runtime import BotRuntime  # noqa: E402
from app.config import Settings, load_settings  # noqa: E402
from app.processes import EngineStack  # noqa: E402
from bot.console import ConsoleChat  # noqa: E402
from bot.telegram.application import build_application  # noqa: E402
from bot.turn.inputs import Incoming, Person  # noqa: E402
from core import payloads  # noqa: E402
from tests.support.fake_bot_api import FakeBotAPI  # noqa: E402
from tests.support.ptb import polling  # noqa: E402

MESSAGES = [
    "bonjour", "je dors dehors ce soir", "quels sont mes droits", payloads.MENU,
    "help he is going to hurt me", "I have nowhere to sleep tonight", payloads.RIGHTS,
    "je veux parler à une association", "I'm a nurse", payloads.choose_language("en"),
    "what are my rights", "merci", "zzkq vrmbl", payloads.EMERGENCY, "au revoir",
]  # fmt: skip
COUNT = 200
PEOPLE = 20
AT_ONCE = 8
LONG = 510
TURN: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("turn", default=None)


@dataclasses.dataclass
class Figures:
    """What one channel measured."""

    latencies: list[float]
    sequential: float
    concurrent: float
    transactions: list[int]


def is_button(text: str) -> bool:
    """Payloads are pressed as buttons; everything else is typed."""
    return text.startswith("/")


def count_transactions(runtime: BotRuntime) -> list[int]:
    """Count the database transactions of each turn (begun in the turn's context) in a list."""
    counts: list[int] = []

    def began(_connection: Any) -> None:
        counter = TURN.get()
        if counter is not None:
            counter[0] += 1

    event.listen(runtime.stores.db, "begin", began)
    original = runtime.pipeline.handle

    async def counted(incoming: Incoming, channel: Any) -> None:
        counter = [0]
        token = TURN.set(counter)
        try:
            await original(incoming, channel)
        finally:
            TURN.reset(token)
            counts.append(counter[0])

    runtime.pipeline.handle = counted  # type: ignore[method-assign]
    return counts


async def timed_rounds(
    one: Callable[[int], Awaitable[float]], warm_up: int = 30
) -> tuple[list[float], float, float]:
    """Latencies one at a time, then the rates one at a time and AT_ONCE people at once."""
    for index in range(warm_up):
        await one(index)
    started = time.perf_counter()
    latencies = [await one(index) for index in range(COUNT)]
    sequential = COUNT / (time.perf_counter() - started)
    started = time.perf_counter()
    for batch in range(0, COUNT, AT_ONCE):
        await asyncio.gather(*(one(index) for index in range(batch, min(batch + AT_ONCE, COUNT))))
    return latencies, sequential, COUNT / (time.perf_counter() - started)


async def bench_console(settings: Settings) -> Figures:
    """The console path: the pipeline through the console channel."""
    runtime = BotRuntime.build(settings, flood_control=False)
    chat = ConsoleChat(runtime.pipeline)
    runtime.attach(chat.channel)
    transactions = count_transactions(runtime)

    async def one(index: int) -> float:
        person = Person("bench-console", f"person-{index % PEOPLE}")
        text = MESSAGES[index % len(MESSAGES)]
        started = time.perf_counter()
        await chat.exchange(person, text, button=is_button(text))
        return (time.perf_counter() - started) * 1000

    runtime.start_background()
    try:
        latencies, sequential, concurrent = await timed_rounds(one)
    finally:
        await runtime.stop_background()
    return Figures(latencies, sequential, concurrent, transactions[30:])


async def bench_telegram(settings: Settings) -> Figures:
    """The Telegram path: updates through the stand-in, PTB, the pipeline, the database and back."""
    async with FakeBotAPI() as api:
        local = dataclasses.replace(
            settings,
            telegram_token=api.token,
            telegram_base_url=api.base_url,
            telegram_base_file_url=api.base_file_url,
            flood_max_messages=1000,  # the normal path is measured, not the flood gate
        )
        runtime = BotRuntime.build(local)
        application = build_application(runtime)
        transactions = count_transactions(runtime)
        done: dict[int | str, asyncio.Future[float]] = {}
        counted = runtime.pipeline.handle

        async def finished(incoming: Incoming, channel: Any) -> None:
            await counted(incoming, channel)
            waiter = done.pop(incoming.chat, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(time.perf_counter())

        runtime.pipeline.handle = finished  # type: ignore[method-assign]
        users = [700_000 + number for number in range(PEOPLE)]

        async def one(index: int) -> float:
            user, text = users[index % PEOPLE], MESSAGES[index % len(MESSAGES)]
            done[user] = asyncio.get_running_loop().create_future()
            started = time.perf_counter()
            if is_button(text) and api.last_bot_message(user) is not None:
                api.press_button(user, text)
            else:
                api.send_text(user, text)
            return (await asyncio.wait_for(done[user], 30) - started) * 1000

        async with polling(application):
            latencies, sequential, concurrent = await timed_rounds(one)
    return Figures(latencies, sequential, concurrent, transactions[30:])


async def long_conversation(settings: Settings) -> tuple[float, float, list[int]]:
    """One person, LONG messages through the console pipeline: medians of 1-20 and 490-510."""
    runtime = BotRuntime.build(settings, flood_control=False)
    chat = ConsoleChat(runtime.pipeline)
    runtime.attach(chat.channel)
    transactions = count_transactions(runtime)
    person = Person("bench-long", uuid.uuid4().hex)
    latencies = []
    runtime.start_background()
    try:
        for index in range(LONG):
            text = CYCLE[index % len(CYCLE)]
            started = time.perf_counter()
            await chat.exchange(person, text, button=is_button(text))
            latencies.append((time.perf_counter() - started) * 1000)
    finally:
        await runtime.stop_background()
    return statistics.median(latencies[0:20]), statistics.median(latencies[489:510]), transactions


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie."""
    ordered = sorted(values)
    return ordered[max(0, int(share * len(ordered)) - 1)]


def report_channel(name: str, figures: Figures) -> None:
    """Print one channel's figures."""
    per_turn = figures.transactions
    print(f"{name}: {len(figures.latencies)} messages, {PEOPLE} people, warm engine")
    latencies = figures.latencies
    print(
        f"  latency p50 {statistics.median(latencies):.1f} ms   p95 {percentile(latencies, 0.95):.1f} ms"
        f"   max {max(latencies):.1f} ms"
    )
    print(
        f"  throughput {figures.sequential:.1f} msg/s one at a time, "
        f"{figures.concurrent:.1f} msg/s {AT_ONCE} at once"
    )
    print(
        f"  database transactions per turn: mean {statistics.mean(per_turn):.2f}, median "
        f"{statistics.median(per_turn):.0f}, max {max(per_turn)}, turns with at most one "
        f"{sum(count <= 1 for count in per_turn) / len(per_turn):.0%}"
    )


async def run() -> None:
    os.environ.setdefault("RASA_PORT", "16005")
    os.environ.setdefault("ACTIONS_PORT", "16055")
    os.environ.setdefault("INSTANCE_DIR", tempfile.mkdtemp(prefix="bench-instance-"))
    settings = load_settings()
    stack = EngineStack(settings)
    await stack.ensure_running()
    try:
        telegram = await bench_telegram(settings)
        console = await bench_console(settings)
        early, late, transactions = await long_conversation(settings)
        memory = {"bot (this process)": peak_rss_mb(os.getpid())}
        memory.update({f"{role} server": peak_rss_mb(pid) for role, pid in stack.pids.items()})
    finally:
        stack.stop()
    report_channel("Telegram (Bot API stand-in, full pipeline)", telegram)
    report_channel("console (same pipeline)", console)
    print(
        f"one conversation of {LONG} messages: median {early:.1f} ms at messages 1-20, {late:.1f} ms at "
        f"490-510 ({late / early:.2f}x); transactions per turn mean {statistics.mean(transactions):.2f}"
    )
    for name, mib in memory.items():
        print(f"peak RSS {name}: {mib:.0f} MiB")
    print(f"peak RSS all processes: {sum(memory.values()):.0f} MiB")


if __name__ == "__main__":
    asyncio.run(run())
