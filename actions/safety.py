"""Emergency numbers and erasing the conversation."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.base import (
    AUTO_ERASE_SLOT,
    PENDING_REQUEST_SLOT,
    SAFETY_CHECKED_SLOT,
    ScreenAction,
    auto_erase_seconds,
    entity_value,
    safety_question,
)
from core import payloads
from core.common_screens import back_to_menu, emergency
from core.i18n import N_, tr
from core.screens import Button, Directive, Screen


class ActionEmergency(ScreenAction):
    """Danger words or the emergency button: the emergency numbers, at once."""

    action_name = "action_emergency"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        from actions.screening import in_progress

        screen = emergency(language)
        if in_progress(tracker):  # danger interrupted the screening: it can be resumed
            resume = Button(tr(language, "screening.button.resume"), "/screening_resume")
            screen = Screen(screen.text, language, (resume, *screen.buttons))
        return [screen]


class ActionEraseConversation(ScreenAction):
    """Erase: the channel forgets the conversation state once this screen is sent."""

    action_name = "action_erase_conversation"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        text = tr(language, "erase.done")
        return [Screen(text, language, directives=frozenset({Directive.ERASE}))]


AUTO_ERASE_CHOICES = (0, 300, 3600, 86400)  # off, 5 minutes, 1 hour, 24 hours
AUTO_ERASE_LABELS = {
    0: N_("auto_erase.button.off"),
    300: N_("auto_erase.button.5min"),
    3600: N_("auto_erase.button.1h"),
    86400: N_("auto_erase.button.24h"),
}


def auto_erase_buttons(language: str) -> tuple[Button, ...]:
    """One button per auto-erase delay."""
    return tuple(
        Button(tr(language, AUTO_ERASE_LABELS[seconds]), payloads.set_auto_erase(seconds))
        for seconds in AUTO_ERASE_CHOICES
    )


def chosen_seconds(tracker: Tracker) -> int | None:
    """The delay carried by an auto-erase button, if it is one of the choices."""
    try:
        seconds = int(entity_value(tracker, "seconds") or "")
    except ValueError:
        return None
    return seconds if seconds in AUTO_ERASE_CHOICES else None


class ActionAutoErase(ScreenAction):
    """Offer the auto-erase delays, showing the current one."""

    action_name = "action_auto_erase"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        current = tr(language, AUTO_ERASE_LABELS[auto_erase_seconds(tracker) or 0])
        return [
            Screen(tr(language, "auto_erase.prompt", current=current), language, auto_erase_buttons(language))
        ]


class ActionSetAutoErase(ScreenAction):
    """Apply the chosen delay to this conversation, past messages included."""

    action_name = "action_set_auto_erase"

    def erase_after(self, tracker: Tracker) -> int | None:
        seconds = chosen_seconds(tracker)
        return auto_erase_seconds(tracker) if seconds is None else (seconds or None)

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        seconds = chosen_seconds(tracker)
        if seconds is None:
            return ActionAutoErase().screens(language, tracker)
        text = tr(language, "auto_erase.set", current=tr(language, AUTO_ERASE_LABELS[seconds]))
        changed = frozenset({Directive.AUTO_ERASE_CHANGED})
        return [Screen(text, language, back_to_menu(language), directives=changed)]

    def events(self, language: str, tracker: Tracker) -> list[EventType]:
        seconds = chosen_seconds(tracker)
        return [] if seconds is None else [SlotSet(AUTO_ERASE_SLOT, seconds or None)]


WATCHED_AUTO_ERASE = 300  # someone may look at the phone: messages go after 5 minutes


def safety_value(tracker: Tracker) -> str | None:
    """The answer carried by a safety button."""
    value = entity_value(tracker, "safety")
    return value if value in {"safe", "watched"} else None


class ActionSafetyAnswer(ScreenAction):
    """Record the safety answer; if someone may look, erase after 5 minutes; then continue."""

    action_name = "action_safety_answer"

    def erase_after(self, tracker: Tracker) -> int | None:
        watched = safety_value(tracker) == "watched"
        return WATCHED_AUTO_ERASE if watched else auto_erase_seconds(tracker)

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        answer = safety_value(tracker)
        if answer is None:
            return [safety_question(language)]
        pending = tracker.get_slot(PENDING_REQUEST_SLOT) or payloads.MENU
        buttons = (
            Button(tr(language, "safety.button.continue"), pending),
            Button(tr(language, "safety.button.phone"), payloads.PHONE_SAFETY),
            Button(tr(language, "menu.button.erase"), payloads.ERASE),
        )
        msgid = N_("safety.watched") if answer == "watched" else N_("safety.safe")
        directives = frozenset({Directive.AUTO_ERASE_CHANGED}) if answer == "watched" else frozenset()
        return [Screen(tr(language, msgid), language, buttons, directives=directives)]

    def events(self, language: str, tracker: Tracker) -> list[EventType]:
        answer = safety_value(tracker)
        if answer is None:
            return []
        events: list[EventType] = [SlotSet(SAFETY_CHECKED_SLOT, True), SlotSet(PENDING_REQUEST_SLOT, None)]
        if answer == "watched":
            events.append(SlotSet(AUTO_ERASE_SLOT, WATCHED_AUTO_ERASE))
        return events


class ActionPhoneSafety(ScreenAction):
    """The short guide to making this chat more discreet, honest about its limits."""

    action_name = "action_phone_safety"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        buttons = (
            Button(tr(language, "safety.button.auto_erase"), payloads.AUTO_ERASE),
            Button(tr(language, "safety.button.codeword"), payloads.CODE_WORD),
            *back_to_menu(language),
        )
        return [Screen(tr(language, "safety.phone_card"), language, buttons, protect=True)]
