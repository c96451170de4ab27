"""Language-neutral button payloads: Rasa intent triggers, never translated labels.

Every payload the actions put on a button is built here, by a named builder registered in
`BUILDERS`; a test checks that each one fits Telegram's 64-byte limit for its longest realistic
argument and names an intent and entities declared in dialogues/domain.yml. Entity names are one
letter where the domain declares them so, to stay far below that limit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TypeVar

# Telegram refuses callback data longer than this (in bytes).
CALLBACK_LIMIT = 64

Builder = TypeVar("Builder", bound=Callable[..., str])
BUILDERS: dict[str, Callable[..., str]] = {}


# Builders whose payloads wait in a slot for the engine and are never put on a button.
NOT_ON_BUTTONS = frozenset({"replay_with_alternatives"})


def builder(function: Builder) -> Builder:
    """Register a payload builder for the registry test."""
    BUILDERS[function.__name__] = function
    return function


def make(intent: str, **entities: str | int | float | bool) -> str:
    """A payload: an intent and its entities (the builders below are the only callers in the code)."""
    return "/" + intent + (json.dumps(entities, separators=(",", ":")) if entities else "")


# Fixed payloads of the menu and the channel.
MENU = "/menu"
LANGUAGE = "/language"
RIGHTS = "/menu_rights"
SCREENING = "/menu_screening"
ASSOCIATION = "/menu_association"
EMERGENCY = "/menu_emergency"
PROFESSIONAL = "/menu_professional"
AUTO_ERASE = "/auto_erase"
PHONE_SAFETY = "/phone_safety"
ERASE = "/quick_exit"  # handled by the channel itself, so it works even if the engine is down
QUICK_EXIT_COMMANDS = ("/quick_exit", "/exit")
CODE_WORD = "/codeword"  # handled by the channel: the word must never reach the engine
# Handled by the channel, never by the engine: they are not intents of the domain.
CHANNEL_COMMANDS = (*QUICK_EXIT_COMMANDS, CODE_WORD, "/handover_reply")
FIXED = (MENU, LANGUAGE, RIGHTS, SCREENING, ASSOCIATION, EMERGENCY, PROFESSIONAL, AUTO_ERASE, PHONE_SAFETY)


# --- Conversation and safety ------------------------------------------------------------------


@builder
def intent_only(intent: str) -> str:
    """A payload that triggers an intent without entities (a rights topic, a request to replay)."""
    return make(intent)


@builder
def replay_with_alternatives(intent: str, alternatives: str) -> str:
    """A typed request kept while the safety question is asked, with the other likely topics
    (space-separated intents) to offer beside its answer. Kept in a slot, never on a button."""
    return make(intent, o=alternatives)


@builder
def choose_language(code: str) -> str:
    """Payload of a language button."""
    return make("choose_language", lang_code=code)


@builder
def set_auto_erase(seconds: int) -> str:
    """Payload of an auto-erase choice (0 = off)."""
    return make("set_auto_erase", seconds=seconds)


@builder
def safety_answer(value: str) -> str:
    """Payload of an answer to the safety question: `safe` or `watched`."""
    return make("safety_answer", safety=value)


# --- Rights -----------------------------------------------------------------------------------


@builder
def rights_followup(item_id: str) -> str:
    """Open one rights follow-up by its id."""
    return make("rights_followup", item=item_id)


@builder
def rights_source(item_id: str) -> str:
    """Show the sources of one rights item (topic or follow-up)."""
    return make("rights_source", item=item_id)


# --- Self-screening ---------------------------------------------------------------------------


@builder
def screening_age(version: str) -> str:
    """The age answer that chooses the screening version (`adult` or `minor`)."""
    return make("screening_age", age=version)


@builder
def screening_answer(answer: str) -> str:
    """An answer to the current screening question (`yes`, `no`, `skip`)."""
    return make("screening_answer", answer=answer)


@builder
def screening_back() -> str:
    """Back one screening question."""
    return make("screening_back")


@builder
def screening_pause() -> str:
    """Pause the screening."""
    return make("screening_pause")


@builder
def screening_resume() -> str:
    """Resume the screening at the current question."""
    return make("screening_resume")


@builder
def screening_stop() -> str:
    """Stop the screening and forget the answers."""
    return make("screening_stop")


@builder
def screening_restart() -> str:
    """Start the screening again from the age question."""
    return make("screening_restart")


# --- Worker mode ------------------------------------------------------------------------------


@builder
def worker_profile(profile: str) -> str:
    """Choose (or keep, with `_`) a worker profile."""
    return make("worker_profile", p=profile)


@builder
def worker_form(form: str) -> str:
    """Open the checklist of one form of exploitation."""
    return make("worker_form", f=form)


@builder
def worker_toggle(item_id: str) -> str:
    """Tick or untick one checklist item."""
    return make("worker_toggle", i=item_id)


@builder
def worker_done() -> str:
    """Finish the checklist and show the summary."""
    return make("worker_done")


@builder
def worker_talk() -> str:
    """The card on how to talk with the person."""
    return make("worker_talk")


@builder
def worker_handoff(language: str | None = None, association_id: str | None = None) -> str:
    """A step of the hand-off link: first the person's language, then the association."""
    entities = {"lang_code": language, "a": association_id}
    return make("worker_handoff", **{name: value for name, value in entities.items() if value})


# --- Handover ---------------------------------------------------------------------------------


@builder
def handover_answer(value: str) -> str:
    """A button answer to the handover question being asked."""
    return make("handover_answer", v=value)


@builder
def handover_skip() -> str:
    """Skip an optional handover question."""
    return make("handover_skip")


@builder
def handover_others() -> str:
    """Show every association instead of the best match."""
    return make("handover_others")


@builder
def handover_need(need: str) -> str:
    """Tick or untick one need."""
    return make("handover_need", n=need)


@builder
def handover_needs_done() -> str:
    """Finish the list of needs."""
    return make("handover_needs_done")


@builder
def handover_confirm() -> str:
    """Send the request shown on the consent screen."""
    return make("handover_confirm")


@builder
def handover_edit() -> str:
    """Choose an answer to change."""
    return make("handover_edit")


@builder
def handover_change(field: str) -> str:
    """Change one answer of the request."""
    return make("handover_change", s=field)


@builder
def handover_cancel() -> str:
    """Cancel the request: nothing is sent."""
    return make("handover_cancel")


@builder
def handover_status() -> str:
    """Where the person's requests stand."""
    return make("handover_status")


@builder
def handover_withdraw() -> str:
    """Ask to withdraw the open requests."""
    return make("handover_withdraw")


@builder
def handover_withdraw_confirm() -> str:
    """Confirm the withdrawal."""
    return make("handover_withdraw_confirm")


@builder
def handover_refer() -> str:
    """A worker starts a request with the person who agreed."""
    return make("handover_refer")


@builder
def handover_via(association_id: str, language: str) -> str:
    """Opened from a hand-off link: the association proposed first, and the person's language."""
    return make("handover_via", a=association_id, lang_code=language)
