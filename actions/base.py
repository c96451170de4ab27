"""Shared machinery: resolve the person's language and send screens through Rasa."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from core import languages, payloads
from core.i18n import tr
from core.screens import Button, Screen

LANGUAGE_SLOT = "language"
LANGUAGE_CHOSEN_SLOT = "language_chosen"
AUTO_ERASE_SLOT = "auto_erase_seconds"
SAFETY_CHECKED_SLOT = "safety_checked"
PENDING_REQUEST_SLOT = "pending_request"


def metadata(tracker: Tracker) -> dict[str, Any]:
    """Metadata the channel sent with the latest message (language hints, channel name)."""
    return tracker.latest_message.get("metadata") or {}


def entity_value(tracker: Tracker, name: str) -> str | None:
    """The value of an entity of the latest message (buttons carry them), or None."""
    for found in tracker.latest_message.get("entities") or []:
        if found.get("entity") == name:
            return str(found.get("value"))
    return None


def latest_intent(tracker: Tracker) -> str | None:
    """The intent the NLU gave to the message being answered."""
    return (tracker.latest_message.get("intent") or {}).get("name")


def conversation_language(tracker: Tracker) -> str:
    """The reply language: explicit choice, clear detection, earlier turns, client, French."""
    hints = metadata(tracker)
    previous = tracker.get_slot(LANGUAGE_SLOT)
    chosen = previous if tracker.get_slot(LANGUAGE_CHOSEN_SLOT) else None
    return languages.resolve(
        chosen=chosen,
        detected=hints.get("detected_language"),
        previous=previous,
        guessed=hints.get("guessed_language"),
        client=hints.get("client_language"),
    )


def auto_erase_seconds(tracker: Tracker) -> int | None:
    """The auto-erase delay the person chose, or None when off."""
    value = tracker.get_slot(AUTO_ERASE_SLOT)
    return int(value) if value else None


def replay_payload(tracker: Tracker) -> str:
    """A payload that repeats the current request: the button pressed, or the intent of free text."""
    text = str(tracker.latest_message.get("text") or "")
    return text if text.startswith("/") else "/" + (latest_intent(tracker) or "menu")


def safety_question(language: str) -> Screen:
    """Can you write safely? The answer sets the discretion; then the request goes on."""
    buttons = (
        Button(tr(language, "safety.button.safe"), payloads.safety_answer("safe")),
        Button(tr(language, "safety.button.watched"), payloads.safety_answer("watched")),
        Button(tr(language, "menu.button.erase"), payloads.ERASE),
    )
    return Screen(tr(language, "safety.question"), language, buttons)


class ScreenAction(Action):
    """An action whose whole job is to show screens in the person's language."""

    action_name: str = ""
    # Sensitive screens first ask, once per conversation, whether the person can write safely.
    sensitive: bool = False

    def name(self) -> str:
        """The action name used in the domain and rules."""
        return self.action_name

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        """The screens to show; subclasses override this."""
        raise NotImplementedError

    def events(self, language: str, tracker: Tracker) -> list[EventType]:
        """Events to record besides the language (none by default)."""
        return []

    def needs_safety_check(self, tracker: Tracker) -> bool:
        """True for a sensitive screen when the safety question was not answered yet."""
        return self.sensitive and not tracker.get_slot(SAFETY_CHECKED_SLOT)

    def erase_after(self, tracker: Tracker) -> int | None:
        """The auto-erase delay to stamp on this action's screens."""
        return auto_erase_seconds(tracker)

    def language(self, tracker: Tracker) -> str:
        """The language to answer in."""
        return conversation_language(tracker)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Send the screens, each tagged with the intent it answers."""
        language = self.language(tracker)
        intent, erase_after = latest_intent(tracker), self.erase_after(tracker)
        asking = self.needs_safety_check(tracker)
        screens = [safety_question(language)] if asking else self.screens(language, tracker)
        for screen in screens:
            stamped = replace(screen, intent=intent, erase_after=erase_after)
            dispatcher.utter_message(json_message=stamped.to_payload())
        pending = [SlotSet(PENDING_REQUEST_SLOT, replay_payload(tracker))]
        events = pending if asking else self.events(language, tracker)
        return [SlotSet(LANGUAGE_SLOT, language), *events]
