"""Emergency numbers, erasing the conversation, auto-erase and the safety question."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.base import (
    AUTO_ERASE_SLOT,
    PENDING_REQUEST_SLOT,
    SAFETY_CHECKED_SLOT,
    Reply,
    ScreenAction,
    Turn,
    delay_changed,
    safety_question,
)
from actions.screening import in_progress
from core import payloads
from core.common_screens import back_to_menu, emergency, erase_button
from core.i18n import N_, tr
from core.screens import Button, Directive, Screen


class ActionEmergency(ScreenAction):
    """Danger words or the emergency button: the emergency numbers, at once."""

    action_name = "action_emergency"

    def respond(self, turn: Turn) -> Reply:
        """The numbers and the menu; a resume button first when danger interrupted the screening."""
        screen = emergency(turn.language)
        if in_progress(turn):
            resume = Button(tr(turn.language, "screening.button.resume"), payloads.screening_resume())
            screen = Screen(screen.text, turn.language, (resume, *screen.buttons))
        return Reply.of(screen)


class ActionEraseConversation(ScreenAction):
    """Erase: the channel forgets the conversation state once this screen is sent."""

    action_name = "action_erase_conversation"

    def respond(self, turn: Turn) -> Reply:
        """The confirmation, carrying the erase directive."""
        text = tr(turn.language, "erase.done")
        return Reply.of(Screen(text, turn.language, directives=frozenset({Directive.ERASE})))


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


def auto_erase_choices(turn: Turn) -> Screen:
    """The delays, with the current one named."""
    current = tr(turn.language, AUTO_ERASE_LABELS[turn.erase_after or 0])
    text = tr(turn.language, "auto_erase.prompt", current=current)
    return Screen(text, turn.language, auto_erase_buttons(turn.language))


def chosen_seconds(turn: Turn) -> int | None:
    """The delay carried by an auto-erase button, if it is one of the choices."""
    try:
        seconds = int(turn.entity("seconds") or "")
    except ValueError:
        return None
    return seconds if seconds in AUTO_ERASE_CHOICES else None


class ActionAutoErase(ScreenAction):
    """Offer the auto-erase delays, showing the current one."""

    action_name = "action_auto_erase"

    def respond(self, turn: Turn) -> Reply:
        """The choices."""
        return Reply.of(auto_erase_choices(turn))


class ActionSetAutoErase(ScreenAction):
    """Apply the chosen delay to this conversation, past messages included."""

    action_name = "action_set_auto_erase"

    def respond(self, turn: Turn) -> Reply:
        """Confirm the new delay and apply it; an unknown delay shows the choices again."""
        seconds = chosen_seconds(turn)
        if seconds is None:
            return Reply.of(auto_erase_choices(turn))
        text = tr(turn.language, "auto_erase.set", current=tr(turn.language, AUTO_ERASE_LABELS[seconds]))
        screen = delay_changed(Screen(text, turn.language, back_to_menu(turn.language)), seconds)
        return Reply.of(screen, events=[SlotSet(AUTO_ERASE_SLOT, seconds or None)])


WATCHED_AUTO_ERASE = 300  # someone may look at the phone: messages go after 5 minutes
SAFETY_ANSWERS = ("safe", "watched")


def safety_buttons(turn: Turn, pending: str | None) -> tuple[Button, ...]:
    """Make the phone safer or erase; the menu too when no request waits to be answered."""
    phone = Button(tr(turn.language, "safety.button.phone"), payloads.PHONE_SAFETY)
    menu = back_to_menu(turn.language) if pending is None else ()
    return (*menu, phone, erase_button(turn.language))


class ActionSafetyAnswer(ScreenAction):
    """Record the safety answer; if someone may look, erase after 5 minutes; then answer the request."""

    action_name = "action_safety_answer"

    def respond(self, turn: Turn) -> Reply:
        """Acknowledge the answer; the request kept before the question follows in the same turn."""
        answer = turn.entity("safety")
        if answer not in SAFETY_ANSWERS:
            return Reply.of(safety_question(turn.language))
        answered = [SlotSet(SAFETY_CHECKED_SLOT, True)]  # the request is forgotten once answered
        pending = turn.slot_text(PENDING_REQUEST_SLOT)
        msgid = N_("safety.watched") if answer == "watched" else N_("safety.safe")
        text = tr(turn.language, msgid)
        screen = Screen(text, turn.language, safety_buttons(turn, pending), then=pending)
        if answer == "safe":
            return Reply.of(screen, events=answered)
        watched = SlotSet(AUTO_ERASE_SLOT, WATCHED_AUTO_ERASE)
        return Reply.of(delay_changed(screen, WATCHED_AUTO_ERASE), events=[*answered, watched])


class ActionPhoneSafety(ScreenAction):
    """The short guide to making this chat more discreet, honest about its limits."""

    action_name = "action_phone_safety"

    def respond(self, turn: Turn) -> Reply:
        """The card, protected from forwarding."""
        buttons = (
            Button(tr(turn.language, "safety.button.auto_erase"), payloads.AUTO_ERASE),
            Button(tr(turn.language, "safety.button.codeword"), payloads.CODE_WORD),
            *back_to_menu(turn.language),
        )
        return Reply.of(Screen(tr(turn.language, "safety.phone_card"), turn.language, buttons, protect=True))
