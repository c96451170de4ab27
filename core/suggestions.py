"""The likeliest topics of an unclear message, as buttons: never a silent guess, never a dead end."""

from __future__ import annotations

from collections.abc import Iterable

from core import payloads, rights
from core.i18n import N_, tr
from core.screens import Button

MAX_SUGGESTIONS = 3
# Below this share of the model's belief an intent is noise, not a candidate worth a button.
MIN_CONFIDENCE = 0.05
# Intents that are not rights topics but have a place in the menu (the emergency numbers topic
# and tonight's shelter are rights topics, reached by their own intents).
MENU_INTENTS = {
    "danger": (N_("menu.button.emergency"), payloads.EMERGENCY),
    "menu_association": (N_("menu.button.association"), payloads.ASSOCIATION),
    "menu_screening": (N_("menu.button.screening"), payloads.SCREENING),
    "menu_professional": (N_("menu.button.professional"), payloads.PROFESSIONAL),
    "menu_rights": (N_("menu.button.rights"), payloads.RIGHTS),
}


def candidate(intent: str) -> tuple[str, str] | None:
    """The button label (a catalog id) and payload that lead to an intent's answer, if it has one."""
    topic = rights.load().topic_for_intent(intent)
    if topic is not None:
        return topic.label_msgid, payloads.intent_only(topic.intent)
    return MENU_INTENTS.get(intent)


def suggestions(ranking: Iterable[tuple[str, float]], language: str) -> list[Button]:
    """Up to three buttons for the likeliest intents that lead somewhere, most likely first."""
    buttons: list[Button] = []
    for intent, confidence in ranking:
        found = candidate(intent)
        if found is None or confidence < MIN_CONFIDENCE:
            continue
        label, payload = found
        if payload not in [button.payload for button in buttons]:
            buttons.append(Button(tr(language, label), payload))
        if len(buttons) == MAX_SUGGESTIONS:
            break
    return buttons
