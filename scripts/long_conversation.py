"""Does the cost of a message stay flat as one conversation grows? (audit M3)

Sends one conversation of 510 messages from a single sender straight to the engine (a fixed
cycle of 20 texts and button payloads: menus, rights questions, the screening and handover
starts, language changes, danger words, noise) and compares the median latency of messages
1-20 with that of messages 490-510. Uses its own ports unless RASA_PORT/ACTIONS_PORT are set.

    python scripts/long_conversation.py
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
import uuid
from typing import Any

from app.config import Settings, load_settings
from app.processes import EngineStack
from bot.engine import EngineClient
from core import payloads

CYCLE = (
    "bonjour", payloads.MENU, payloads.RIGHTS, "quels sont mes droits si je n'ai pas de papiers",
    "et c'est gratuit ?", payloads.SCREENING, payloads.safety_answer("safe"), "je dors dehors ce soir",
    "I have nowhere to sleep tonight", payloads.choose_language("en"), "what are my rights at work",
    payloads.PROFESSIONAL, "I'm a nurse", payloads.ASSOCIATION, "/handover_cancel",
    payloads.EMERGENCY, "merci", "zzkq vrmbl", "help he is going to hurt me", payloads.choose_language("fr"),
)  # fmt: skip
COUNT = 510
EARLY = slice(0, 20)  # messages 1-20
LATE = slice(489, 510)  # messages 490-510
METADATA = {"channel": "bench", "client_language": "fr", "detected_language": None, "guessed_language": None}


async def timed_send(client: EngineClient, sender: str, text: str) -> float:
    """Send one message and return its latency in milliseconds."""
    started = time.perf_counter()
    await client.send(sender, text, dict(METADATA), "fr")
    return (time.perf_counter() - started) * 1000


async def converse(client: EngineClient, count: int = COUNT) -> list[float]:
    """One new conversation of `count` messages; the latency of each."""
    sender = uuid.uuid4().hex
    return [await timed_send(client, sender, CYCLE[index % len(CYCLE)]) for index in range(count)]


def summary(latencies: list[float]) -> dict[str, Any]:
    """Median of messages 1-20 and 490-510, their ratio, and the median per 100-message block."""
    early, late = statistics.median(latencies[EARLY]), statistics.median(latencies[LATE])
    blocks = [statistics.median(latencies[i : i + 100]) for i in range(0, len(latencies) - 99, 100)]
    return {
        "messages": len(latencies),
        "median_ms_messages_1_20": round(early, 1),
        "median_ms_messages_490_510": round(late, 1),
        "ratio": round(late / early, 2),
        "median_ms_per_100_block": [round(block, 1) for block in blocks],
    }


async def measure(settings: Settings, count: int = COUNT) -> dict[str, Any]:
    """Run the conversation on the engine of `settings` (started if needed) and summarise it."""
    stack = EngineStack(settings)
    await stack.ensure_running()
    client = EngineClient(settings.rasa_url, settings.rasa_token, timeout=60)
    try:
        for _ in range(len(CYCLE)):  # warm-up on another sender
            await client.send(uuid.uuid4().hex, "bonjour", dict(METADATA), "fr")
        return summary(await converse(client, count))
    finally:
        await client.close()
        stack.stop()


def main() -> None:
    """Print the figures for a fresh engine on the benchmark ports."""
    os.environ.setdefault("RASA_PORT", "16105")
    os.environ.setdefault("ACTIONS_PORT", "16155")
    for key, value in asyncio.run(measure(load_settings())).items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
