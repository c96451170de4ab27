"""No button, however stale, makes the real engine repeat itself or stop answering (audit H4).

A fresh conversation stands for every way a button outlives its conversation state: a Rasa
restart, the 24-hour expiry, a request already sent or cancelled. Each payload-only intent of the
domain (one that no NLU example teaches: only buttons and links send it) gets exactly one answer,
and the conversation stays healthy: the next message, danger included, is answered normally.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actions.handover_form import ANSWER_INTENTS
from core import payloads
from core.common_screens import static_fallback
from core.i18n import tr

ROOT = Path(__file__).resolve().parents[2]
# Two screens by design: a word for the worker before the first question; the checklist summary
# before the next steps. Every other payload gets one.
REPLIES = {"handover_refer": 2, "worker_done": 2}
DANGER = "il va me tuer"


def taught_intents() -> set[str]:
    """Intents that have NLU examples in some language."""
    found: set[str] = set()
    for path in (ROOT / "nlu").rglob("*.yml"):
        entries = yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []
        found.update(entry["intent"] for entry in entries if "intent" in entry)
    return found


def payload_only_intents() -> list[str]:
    """Intents of the domain that only a button payload (or a link) can send."""
    domain = yaml.safe_load((ROOT / "dialogues" / "domain.yml").read_text(encoding="utf-8"))
    taught = taught_intents()
    return [intent for intent in domain["intents"] if intent not in taught]


PAYLOAD_ONLY = payload_only_intents()


def test_the_list_covers_every_button_of_the_handover_questions():
    assert set(ANSWER_INTENTS) <= set(PAYLOAD_ONLY)
    assert len(PAYLOAD_ONLY) >= 25


def assert_answered(screens: list, expected: int) -> None:
    """The expected number of screens, none of them the static fallback of a dead conversation."""
    assert len(screens) == expected, [screen.text[:40] for screen in screens]
    fallback = static_fallback(screens[0].language).text
    assert all(screen.text and screen.text != fallback for screen in screens)


@pytest.mark.parametrize("intent", PAYLOAD_ONLY)
async def test_a_lone_payload_gets_one_answer_and_the_menu_still_works(chat, stores, intent):
    person = chat("fr")
    assert_answered(await person.say(payloads.intent_only(intent)), REPLIES.get(intent, 1))
    after = await person.say(payloads.MENU)
    assert_answered(after, 1)
    assert after[0].text == tr("fr", "menu.title")


@pytest.mark.parametrize("intent", PAYLOAD_ONLY)
async def test_a_lone_payload_leaves_danger_answered(chat, stores, intent):
    person = chat("fr")
    await person.say(payloads.intent_only(intent))
    after = await person.say(DANGER)
    assert_answered(after, 1)
    assert after[0].text == tr("fr", "emergency.numbers")


@pytest.mark.parametrize("intent", sorted(ANSWER_INTENTS))
async def test_a_stale_question_button_says_it_expired(chat, intent):
    (screen,) = await chat("en").say(payloads.intent_only(intent))
    assert screen.text.startswith(tr("en", "fallback.question_expired"))
    assert payloads.MENU not in [b.payload for b in screen.buttons]  # the menu itself, not a way to it
    assert payloads.ASSOCIATION in [b.payload for b in screen.buttons]


async def test_the_engine_listens_after_a_stale_button(chat):
    """A tracker left without `action_listen` trips Rasa's circuit breaker on every later message:
    each of them would get the static fallback. After a stale button they get real answers."""
    person = chat("en")
    (expired,) = await person.say(payloads.handover_needs_done())
    assert expired.text.startswith(tr("en", "fallback.question_expired"))
    for text in ("hello", payloads.MENU, "what are my rights"):
        (answer,) = await person.say(text)
        assert answer != static_fallback("en") and answer.intent is not None
