"""The phone-shaped held-out messages through the whole assistant, as a person meets it.

Each message is sent by a new person on the console channel, through the turn pipeline and the
engine (the danger lexicon, language detection and the suggestions included); if the safety
question comes first, the one tap that answers it is pressed. Per language it prints:
- reply language: the answer is in the message's language (Arabic in Latin letters: Arabic);
- topic on screen: what the person needs is on screen (the answer, or one of the offered buttons);
- danger: messages in immediate danger that got the emergency numbers; false alarms among the rest.

Usage: python scripts/phone_pipeline_eval.py
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import tempfile
import uuid
from collections import Counter
from pathlib import Path

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actions.conversation import ActionFallback, menu_screen  # noqa: E402
from app.bot_runtime import BotRuntime  # noqa: E402
from app.config import load_settings  # noqa: E402
from app.processes import EngineStack  # noqa: E402
from bot.console import ConsoleChannel, ConsoleChat  # noqa: E402
from bot.turn.inputs import Person  # noqa: E402
from core import payloads  # noqa: E402
from core.i18n import tr  # noqa: E402
from core.languages import SUPPORTED  # noqa: E402
from core.phone_set import PhoneMessage, load  # noqa: E402
from core.screens import Screen  # noqa: E402
from core.suggestions import OFF_TOPIC, candidate  # noqa: E402

DANGER = "danger"
ERASE_INTENT = "menu_erase"


def reached(message: PhoneMessage, screens: list[Screen], erased: int) -> bool:
    """What the person needs is on screen: an answer to it, or a button leading to it (or, to
    erase, the conversation erased at once; off topic, the screen off-topic messages get)."""
    if message.intent == ERASE_INTENT and (erased or not screens):  # a quick exit shows nothing
        return True
    if any(screen.intent == message.intent for screen in screens):
        return True
    if message.intent == OFF_TOPIC and any(is_off_topic_answer(screen) for screen in screens):
        return True
    found = candidate(message.intent)
    offered = {button.payload for screen in screens for button in screen.buttons}
    return found is not None and found[1] in offered


def is_off_topic_answer(screen: Screen) -> bool:
    """The screen an off-topic message gets: "not understood" and the menu. A hesitation whose
    likeliest reading is off topic shows the same screen under another intent name."""
    return screen.text == menu_screen(screen.language, ActionFallback.lead_msgid).text


async def ask(chat: ConsoleChat, message: PhoneMessage) -> tuple[list[Screen], int]:
    """The screens a new person sees for one message, after the one-tap safety answer if asked,
    and how many messages were erased (a quick exit shows nothing and erases)."""
    person = Person("console", uuid.uuid4().hex)
    screens, erased = await chat.exchange(person, message.text)
    if screens and screens[-1].text == tr(screens[-1].language, "safety.question"):
        more, erased_later = await chat.exchange(person, payloads.safety_answer("safe"), button=True)
        screens, erased = screens + more, erased + erased_later
    return screens, erased


async def evaluate(chat: ConsoleChat) -> None:
    print("Phone-shaped held-out messages through the whole assistant (console, one new person each)")
    print(
        f"{'lang':<5}{'msgs':>5}{'reply language':>16}{'topic on screen':>17}"
        f"{'danger':>8}{'false alarms':>14}"
    )
    for language in SUPPORTED:
        counts: Counter[str] = Counter()
        for message in load(language):
            screens, erased = await ask(chat, message)
            counts["messages"] += 1
            counts["language"] += not screens or screens[-1].language == language
            counts["topic"] += reached(message, screens, erased)
            warned = any(screen.intent == DANGER for screen in screens)
            if message.intent == DANGER:
                counts["dangers"] += 1
                counts["caught"] += warned
            else:
                counts["alarms"] += warned
        total, dangers = counts["messages"], counts["dangers"]
        print(
            f"{language:<5}{total:>5}{counts['language'] / total:>16.2f}{counts['topic'] / total:>17.2f}"
            f"{counts['caught'] / dangers:>8.2f}{counts['alarms']:>7} of {total - dangers:<5}"
        )


async def run() -> None:
    os.environ.setdefault("RASA_PORT", "16006")
    os.environ.setdefault("ACTIONS_PORT", "16056")
    os.environ.setdefault("INSTANCE_DIR", tempfile.mkdtemp(prefix="phone-eval-"))
    logging.disable(logging.WARNING)
    settings = load_settings()
    stack = EngineStack(settings)
    await stack.ensure_running()
    runtime = BotRuntime.build(settings, flood_control=False)
    chat = ConsoleChat(runtime.pipeline, ConsoleChannel())
    runtime.attach(chat.channel)
    try:
        await evaluate(chat)
    finally:
        await runtime.pipeline.maintain()
        stack.stop()


if __name__ == "__main__":
    asyncio.run(run())
