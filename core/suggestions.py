"""The likeliest topics of an unclear message, as buttons: never a silent guess, never a dead end."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from core import payloads, rights
from core.i18n import N_, tr
from core.screens import Button

DANGER = "danger"
# Readings that are no topic: the hesitation itself, and off topic.
HESITATION = "nlu_fallback"  # the model hesitated (FallbackClassifier in config.yml)
OFF_TOPIC = "out_of_scope"

MAX_SUGGESTIONS = 3
# Below this share of the model's belief an intent is noise, not a candidate worth a button.
MIN_CONFIDENCE = 0.05
# An answer given with less confidence than this is a guess: the next likeliest topics (at most
# two, each with at least MIN_ALTERNATIVE of the belief) are offered beside it as buttons.
UNSURE_BELOW = 0.8
MIN_ALTERNATIVE = 0.1
# Danger forced over the intent model's reading (a phrase, a sure danger classifier): that reading
# is offered under the emergency numbers when the model held it with at least this share.
DISAGREEING = 0.5
MAX_ALTERNATIVES = 2
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
    """Up to three buttons for the likeliest intents that lead somewhere, most likely first; none when
    the likeliest reading is off topic (gibberish, football: the menu serves better than guesses)."""
    readings = [(intent, confidence) for intent, confidence in ranking if intent != HESITATION]
    if readings and readings[0][0] == OFF_TOPIC:
        return []
    likely = [intent for intent, confidence in readings if confidence >= MIN_CONFIDENCE]
    return buttons_for(likely, language)[:MAX_SUGGESTIONS]


def alternatives(ranking: Sequence[tuple[str, float]]) -> tuple[str, ...]:
    """The other likely intents that lead somewhere, when the model's first choice is a guess; and
    when a danger phrase or a sure danger classifier put danger first over another reading the intent
    model held with at least DISAGREEING of its belief, that reading, under the emergency numbers."""
    if not ranking:
        return ()
    chosen, confidence = ranking[0]
    least = MIN_ALTERNATIVE
    if confidence >= UNSURE_BELOW:
        if chosen != DANGER:
            return ()
        least = DISAGREEING
    others = [
        intent
        for intent, share in ranking[1:]
        if share >= least and intent != chosen and candidate(intent) is not None
    ]
    return tuple(others[:MAX_ALTERNATIVES])


def buttons_for(intents: Iterable[str], language: str) -> list[Button]:
    """One button per intent that leads somewhere, in order, without repeating a destination."""
    buttons: list[Button] = []
    for intent in intents:
        found = candidate(intent)
        if found is not None and found[1] not in [button.payload for button in buttons]:
            buttons.append(Button(tr(language, found[0]), found[1]))
    return buttons


def with_a_person(offered: Sequence[Button], language: str) -> list[Button]:
    """After the topics the model hesitated between, the way to a person of a partner association
    (unless a topic already leads there): when the assistant cannot tell what someone needs, a
    person is one tap away."""
    label, payload = MENU_INTENTS["menu_association"]
    if any(button.payload == payload for button in offered):
        return []
    return [Button(tr(language, label), payload)]
