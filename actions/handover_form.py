"""The handover questions: a Rasa form whose answers come from buttons or typed text.

`validate_handover_form` reads each answer for the slot being asked (`answer_for`); one
`action_ask_ho_<field>` per question shows it. See docs/handover.md for the state diagram.
"""

from __future__ import annotations

from typing import Any

import phonenumbers
from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import stores
from actions.base import ScreenAction, entity_value, latest_intent
from core import handover, safe_times
from core.exploitation import detect_form
from core.handover_routing import proposals
from core.i18n import tr
from core.payloads import make as payload
from core.places import find_departement
from core.screens import Button, Directive, Screen

FORM = "handover_form"
SKIPPED = "-"
TICKED_SLOT, OTHERS_SLOT, UNCLEAR_SLOT, VIA_SLOT = "ho_ticked", "ho_others", "ho_unclear", "ho_via"
BY_WORKER_SLOT = "ho_by_worker"
# Intents that leave the questions; rules in dialogues/handover.yml answer them.
INTERRUPTS = {"danger", "handover_cancel", "menu", "menu_emergency", "need_shelter"}
OPTIONAL_TEXT = {"alias", "code", "message"}
TYPED_FIELDS = {"departement", "form", "phone", "alias", "code", "message"}
TEXT_LIMITS = {"alias": handover.MAX_ALIAS, "code": handover.MAX_CODE, "message": handover.MAX_MESSAGE}


def slot_of(field: str) -> str:
    return f"ho_{field}"


def field_of(slot: str | None) -> str | None:
    return slot[3:] if slot and slot.startswith("ho_") else None


def filled(tracker: Tracker, field: str) -> str | None:
    """A field's answer; None when not given or skipped."""
    value = tracker.get_slot(slot_of(field))
    return None if value in (None, SKIPPED) else str(value)


def candidates(tracker: Tracker, language: str) -> list[Any]:
    """Reachable associations for what the person said so far, best first; the link's one leads."""
    ranked = proposals(
        stores.directory(),
        departement=filled(tracker, "departement"),
        form=filled(tracker, "form"),
        language=language,
        minor=filled(tracker, "minor") == "yes",
    )
    via = tracker.get_slot(VIA_SLOT)
    return sorted(ranked, key=lambda a: a.id != via)


def button_choices(field: str, tracker: Tracker) -> set[str]:
    """The values a button may set for a field."""
    fixed = {
        "departement": {SKIPPED},
        "minor": {"yes", "no"},
        "form": set(handover.FORMS),
        "level": set(handover.LEVELS),
        "contact": set(handover.CONTACT_MODES),
        "times": set(safe_times.OPTIONS),
    }
    if field == "association":
        return {a.id for a in candidates(tracker, "fr")}
    return fixed.get(field, set())


def typed_answer(field: str, text: str) -> str | None:
    """A typed answer made valid for the field, or None when it cannot be used."""
    text = " ".join(text.split())
    if field == "departement":
        return find_departement(text)
    if field == "form":
        return detect_form(text)
    if field == "phone":
        return valid_phone(text)
    if field in TEXT_LIMITS:
        return text if 0 < len(text) <= TEXT_LIMITS[field] else None
    return None


def valid_phone(text: str) -> str | None:
    """A phone number in international form, French numbers assumed without a country code."""
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def answer_events(tracker: Tracker) -> list[EventType]:
    """Slot events for the latest message, read as the answer to the question being asked."""
    field = field_of(tracker.get_slot("requested_slot"))
    intent, text = latest_intent(tracker), str(tracker.latest_message.get("text") or "")
    if field is None:
        return []
    if intent == "handover_answer":
        value = entity_value(tracker, "v")
        return [SlotSet(slot_of(field), value)] if value in button_choices(field, tracker) else []
    if intent == "handover_skip" and field in OPTIONAL_TEXT:
        return [SlotSet(slot_of(field), SKIPPED)]
    if intent == "handover_others":
        return [SlotSet(OTHERS_SLOT, True)]
    if field == "needs":
        return need_events(tracker, intent)
    if text.startswith("/"):
        return []
    value = typed_answer(field, text)
    return [SlotSet(slot_of(field), value)] if value else [SlotSet(UNCLEAR_SLOT, field)]


def need_events(tracker: Tracker, intent: str | None) -> list[EventType]:
    """Tick or untick a need, or finish the list."""
    ticked = list(tracker.get_slot(TICKED_SLOT) or [])
    if intent == "handover_needs_done":
        return [SlotSet(slot_of("needs"), ",".join(ticked) or SKIPPED)]
    need = entity_value(tracker, "n")
    if intent == "handover_need" and need in handover.NEEDS:
        ticked.remove(need) if need in ticked else ticked.append(need)
        return [SlotSet(TICKED_SLOT, ticked)]
    return []


def interrupts(tracker: Tracker) -> bool:
    """Danger always leaves the questions; other intents only from a button or where no text is expected.

    A typed name, phone number or code phrase is the answer, whatever the model makes of it.
    """
    intent = latest_intent(tracker)
    if intent == "danger":
        return True
    typed = not str(tracker.latest_message.get("text") or "").startswith("/")
    expects_text = field_of(tracker.get_slot("requested_slot")) in TYPED_FIELDS
    return intent in INTERRUPTS and not (typed and expects_text)


class ValidateHandoverForm(FormValidationAction):
    """Reads answers and decides which question comes next."""

    def name(self) -> str:
        return "validate_handover_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        fields = handover.required_fields(tracker.get_slot("ho_level"), tracker.get_slot("ho_contact"))
        return [slot_of(field) for field in fields]

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if interrupts(tracker):
            return [ActionExecutionRejected(FORM)]
        events = [SlotSet(UNCLEAR_SLOT, None), *answer_events(tracker)]
        tracker.add_slots(events)
        return events + await super().run(dispatcher, tracker, domain)


def cancel_button(language: str) -> Button:
    return Button(tr(language, "handover.button.cancel"), payload("handover_cancel"))


def choice(language: str, msgid: str, value: str) -> Button:
    return Button(tr(language, msgid), payload("handover_answer", v=value))


class AskAction(ScreenAction):
    """Shows one question of the handover form, with a hint when the last answer was unclear."""

    field = ""

    def name(self) -> str:
        return f"action_ask_ho_{self.field}"

    def question(self, language: str, tracker: Tracker) -> tuple[str, list[Button]]:
        """The question text and its buttons (cancel is added)."""
        return tr(language, f"handover.ask.{self.field}"), []

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        text, buttons = self.question(language, tracker)
        if tracker.get_slot(UNCLEAR_SLOT) == self.field:
            hint = self.field if self.field in TYPED_FIELDS else "choose"
            text = tr(language, f"handover.unclear.{hint}") + "\n\n" + text
        return [Screen(text, language, (*buttons, cancel_button(language)), protect=True)]


class AskDepartement(AskAction):
    field = "departement"

    def question(self, language: str, tracker: Tracker) -> tuple[str, list[Button]]:
        return tr(language, "handover.ask.departement"), [
            choice(language, "handover.button.anywhere", SKIPPED)
        ]


class AskMinor(AskAction):
    field = "minor"

    def question(self, language: str, tracker: Tracker) -> tuple[str, list[Button]]:
        return tr(language, "handover.ask.minor"), [
            choice(language, "handover.button.minor", "yes"),
            choice(language, "handover.button.adult", "no"),
        ]


class ChoiceQuestion(AskAction):
    """A question answered by one button per option."""

    options: tuple[str, ...] = ()
    label = ""  # catalog id of an option's button, with {option}

    def question(self, language: str, tracker: Tracker) -> tuple[str, list[Button]]:
        buttons = [choice(language, self.label.format(option=option), option) for option in self.options]
        return tr(language, f"handover.ask.{self.field}"), buttons


class AskForm(ChoiceQuestion):
    field, options, label = "form", handover.FORMS, "handover.form.{option}"


class AskAssociation(AskAction):
    """The best match, or the whole list when the person asked for others."""

    field = "association"

    def question(self, language: str, tracker: Tracker) -> tuple[str, list[Button]]:
        ranked = candidates(tracker, language)
        if not ranked:
            return tr(language, "handover.none_reachable"), []
        if tracker.get_slot(OTHERS_SLOT):
            lines = [f"• {a.name}\n  {tr(language, a.about_msgid)}" for a in ranked[:8]]
            text = tr(language, "handover.ask.association.list") + "\n\n" + "\n".join(lines)
            return text, [Button(a.name[:60], payload("handover_answer", v=a.id)) for a in ranked[:8]]
        best = ranked[0]
        text = tr(language, "handover.ask.association", name=best.name, about=tr(language, best.about_msgid))
        buttons = [choice(language, "handover.button.choose", best.id)]
        if len(ranked) > 1:
            buttons.append(Button(tr(language, "handover.button.others"), payload("handover_others")))
        return text, buttons


class AskLevel(ChoiceQuestion):
    field, options, label = "level", handover.LEVELS, "handover.level.{option}.title"


class AskTextField(AskAction):
    """A question answered by typing; optional ones can be skipped."""

    def question(self, language: str, tracker: Tracker) -> tuple[str, list[Button]]:
        skip = [Button(tr(language, "handover.button.skip"), payload("handover_skip"))]
        return tr(language, f"handover.ask.{self.field}"), skip if self.field in OPTIONAL_TEXT else []


class AskAlias(AskTextField):
    field = "alias"


class AskPhone(AskTextField):
    field = "phone"


class AskCode(AskTextField):
    field = "code"


class AskMessage(AskTextField):
    field = "message"


class AskContact(ChoiceQuestion):
    field, options, label = "contact", handover.CONTACT_MODES, "handover.contact.{option}"


class AskTimes(ChoiceQuestion):
    field, options, label = "times", safe_times.OPTIONS, "handover.times.{option}"


class AskNeeds(AskAction):
    """Needs as toggles, edited in place while ticking."""

    field = "needs"

    def question(self, language: str, tracker: Tracker) -> tuple[str, list[Button]]:
        ticked = list(tracker.get_slot(TICKED_SLOT) or [])
        toggles = [
            Button(
                ("☑ " if need in ticked else "☐ ") + tr(language, f"handover.need.{need}"),
                payload("handover_need", n=need),
            )
            for need in handover.NEEDS
        ]
        done = Button(tr(language, "handover.button.needs_done"), payload("handover_needs_done"))
        return tr(language, "handover.ask.needs"), [*toggles, done]

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        screen = super().screens(language, tracker)[0]
        if latest_intent(tracker) == "handover_need":
            edit = frozenset({Directive.EDIT})
            return [Screen(screen.text, language, screen.buttons, protect=True, directives=edit)]
        return [screen]
