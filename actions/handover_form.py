"""The handover questions: a Rasa form whose answers come from buttons or typed text.

`validate_handover_form` reads each answer for the slot being asked (`answer_events`); one
`action_ask_ho_<field>` per question shows it. See docs/handover.md for the state diagram.
"""

from __future__ import annotations

from dataclasses import replace

import phonenumbers
from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import stores
from actions.base import REQUESTED_SLOT, Reply, ScreenAction, Turn, answer_failure
from core import handover, payloads, safe_times
from core.danger import contains_danger
from core.directory import Association
from core.exploitation import FORMS_AND_OTHER, detect_form
from core.handover_routing import proposals
from core.i18n import tr
from core.places import find_departement
from core.screens import Button, Directive, Screen

FORM = "handover_form"
SKIPPED = "-"
TICKED_SLOT, OTHERS_SLOT, UNCLEAR_SLOT, VIA_SLOT = "ho_ticked", "ho_others", "ho_unclear", "ho_via"
BY_WORKER_SLOT = "ho_by_worker"
# Intents of the buttons that answer the questions; outside the form they are stale.
ANSWER_INTENTS = frozenset(
    {"handover_answer", "handover_skip", "handover_others", "handover_need", "handover_needs_done"}
)
# Intents that leave the questions; rules in dialogues/handover.yml answer them.
INTERRUPTS = {"danger", "handover_cancel", "menu", "menu_emergency", "need_shelter"}
OPTIONAL_TEXT = {"alias", "code", "message"}
# Questions that accept a typed answer.
TYPED_FIELDS = {"departement", "form", "phone", "alias", "code", "message"}
# Typed answers in the person's own words (a name, a number, a place, a phrase): the model's
# reading of them means nothing, so only the danger lexicon may interrupt them.
OWN_WORDS_FIELDS = TYPED_FIELDS - {"form"}
TEXT_LIMITS = {"alias": handover.MAX_ALIAS, "code": handover.MAX_CODE, "message": handover.MAX_MESSAGE}
MAX_LISTED = 8
MAX_BUTTON_NAME = 60


def slot_of(field: str) -> str:
    """The slot holding a field's answer."""
    return f"ho_{field}"


def field_of(slot: str | None) -> str | None:
    """The field a slot holds, or None for another slot."""
    return slot[3:] if slot and slot.startswith("ho_") else None


def filled(turn: Turn, field: str) -> str | None:
    """A field's answer; None when not given or skipped."""
    value = turn.slot_text(slot_of(field))
    return None if value in (None, SKIPPED) else value


def asked_field(turn: Turn) -> str | None:
    """The field of the question being asked."""
    return field_of(turn.slot_text(REQUESTED_SLOT))


def candidates(turn: Turn, language: str) -> list[Association]:
    """Reachable associations for what the person said so far, best first; the link's one leads."""
    ranked = proposals(
        stores.directory(),
        departement=filled(turn, "departement"),
        form=filled(turn, "form"),
        language=language,
        minor=filled(turn, "minor") == "yes",
    )
    via = turn.slot_text(VIA_SLOT)
    return sorted(ranked, key=lambda a: a.id != via)


FIXED_CHOICES: dict[str, set[str]] = {
    "departement": {SKIPPED},
    "minor": {"yes", "no"},
    "form": set(FORMS_AND_OTHER),
    "level": set(handover.LEVELS),
    "contact": set(handover.CONTACT_MODES),
    "times": set(safe_times.OPTIONS),
}


def button_choices(field: str, turn: Turn) -> set[str]:
    """The values a button may set for a field."""
    if field == "association":
        return {a.id for a in candidates(turn, "fr")}
    return FIXED_CHOICES.get(field, set())


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
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def answer_events(turn: Turn) -> list[EventType]:
    """Slot events for the latest message, read as the answer to the question being asked."""
    field = asked_field(turn)
    if field is None:
        return []
    if turn.intent == "handover_answer":
        value = turn.entity("v")
        return [SlotSet(slot_of(field), value)] if value in button_choices(field, turn) else []
    if turn.intent == "handover_skip" and field in OPTIONAL_TEXT:
        return [SlotSet(slot_of(field), SKIPPED)]
    if turn.intent == "handover_others":
        return [SlotSet(OTHERS_SLOT, True)]
    if field == "needs":
        return need_events(turn)
    if turn.is_button:
        return []
    value = typed_answer(field, turn.text)
    return [SlotSet(slot_of(field), value)] if value else [SlotSet(UNCLEAR_SLOT, field)]


def need_events(turn: Turn) -> list[EventType]:
    """Tick or untick a need, or finish the list."""
    ticked = turn.slot_list(TICKED_SLOT)
    if turn.intent == "handover_needs_done":
        return [SlotSet(slot_of("needs"), ",".join(ticked) or SKIPPED)]
    need = turn.entity("n")
    if turn.intent != "handover_need" or need not in handover.NEEDS:
        return []
    if need in ticked:
        ticked.remove(need)
    else:
        ticked.append(need)
    return [SlotSet(TICKED_SLOT, ticked)]


def interrupts(turn: Turn) -> bool:
    """Whether the message leaves the questions instead of answering the one being asked.

    A name, phone number, place or phrase typed where one is expected is the answer, whatever the
    model makes of it ("Nour" is no danger): only the danger lexicon interrupts it. Elsewhere
    (buttons, and questions answered by a button) danger and the listed intents leave the questions.
    """
    field = asked_field(turn)
    if not turn.is_button and field in OWN_WORDS_FIELDS:
        return contains_danger(turn.text)
    if turn.intent == "danger":
        return True
    return turn.intent in INTERRUPTS and (turn.is_button or field not in TYPED_FIELDS)


def leave_after_failure(
    dispatcher: CollectingDispatcher, turn: Turn | None, error: Exception
) -> list[EventType]:
    """The static fallback once; the questions end (a form that fails would fail again); Rasa listens."""
    return [
        SlotSet(UNCLEAR_SLOT, None),  # a validated slot: Rasa then takes these events, not a rejection
        SlotSet(REQUESTED_SLOT, None),  # ends the form
        *answer_failure(dispatcher, turn, "validate_handover_form", error),
    ]


class ValidateHandoverForm(FormValidationAction):
    """Reads answers and decides which question comes next."""

    def name(self) -> str:
        """The validation action of the handover form."""
        return "validate_handover_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        """The questions for the chosen level and contact mode."""
        fields = handover.required_fields(tracker.get_slot("ho_level"), tracker.get_slot("ho_contact"))
        return [slot_of(field) for field in fields]

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Leave the questions on an interruption; otherwise read the answer and pick the next question."""
        turn: Turn | None = None
        try:
            turn = Turn.of(tracker)
            if interrupts(turn):
                return [ActionExecutionRejected(FORM)]
            events = [SlotSet(UNCLEAR_SLOT, None), *answer_events(turn)]
            tracker.add_slots(events)
            return events + await super().run(dispatcher, tracker, domain)
        except Exception as error:  # noqa: BLE001 - a person in danger must never meet a crash or a loop
            return leave_after_failure(dispatcher, turn, error)


def cancel_button(language: str) -> Button:
    """Cancel the request."""
    return Button(tr(language, "handover.button.cancel"), payloads.handover_cancel())


def choice(language: str, msgid: str, value: str) -> Button:
    """A button answering the question with a value."""
    return Button(tr(language, msgid), payloads.handover_answer(value))


class AskAction(ScreenAction):
    """Shows one question of the handover form, with a hint when the last answer was unclear."""

    field = ""

    def name(self) -> str:
        """The ask action of the field."""
        return f"action_ask_ho_{self.field}"

    def question(self, turn: Turn) -> tuple[str, list[Button]]:
        """The question text and its buttons (cancel is added)."""
        return tr(turn.language, f"handover.ask.{self.field}"), []

    def question_screen(self, turn: Turn) -> Screen:
        """The question, after a hint when the last answer could not be used."""
        text, buttons = self.question(turn)
        if turn.slot_text(UNCLEAR_SLOT) == self.field:
            hint = self.field if self.field in TYPED_FIELDS else "choose"
            text = tr(turn.language, f"handover.unclear.{hint}") + "\n\n" + text
        return Screen(text, turn.language, (*buttons, cancel_button(turn.language)), protect=True)

    def respond(self, turn: Turn) -> Reply:
        """The question."""
        return Reply.of(self.question_screen(turn))


class AskDepartement(AskAction):
    """Where the person is (typed), or anywhere."""

    field = "departement"

    def question(self, turn: Turn) -> tuple[str, list[Button]]:
        """The question and the "anywhere" button."""
        return tr(turn.language, "handover.ask.departement"), [
            choice(turn.language, "handover.button.anywhere", SKIPPED)
        ]


class AskMinor(AskAction):
    """Under 18 or not."""

    field = "minor"

    def question(self, turn: Turn) -> tuple[str, list[Button]]:
        """The question and its two answers."""
        return tr(turn.language, "handover.ask.minor"), [
            choice(turn.language, "handover.button.minor", "yes"),
            choice(turn.language, "handover.button.adult", "no"),
        ]


class ChoiceQuestion(AskAction):
    """A question answered by one button per option."""

    options: tuple[str, ...] = ()
    label = ""  # catalog id of an option's button, with {option}

    def question(self, turn: Turn) -> tuple[str, list[Button]]:
        """The question and one button per option."""
        buttons = [choice(turn.language, self.label.format(option=option), option) for option in self.options]
        return tr(turn.language, f"handover.ask.{self.field}"), buttons


class AskForm(ChoiceQuestion):
    """The form of exploitation, or "other"."""

    field, options, label = "form", FORMS_AND_OTHER, "handover.form.{option}"


class AskAssociation(AskAction):
    """The best match, or the whole list when the person asked for others."""

    field = "association"

    def question(self, turn: Turn) -> tuple[str, list[Button]]:
        """The best association and "others", or the list of them all."""
        language = turn.language
        ranked = candidates(turn, language)
        if not ranked:
            return tr(language, "handover.none_reachable"), []
        if turn.slot_flag(OTHERS_SLOT):
            listed = ranked[:MAX_LISTED]
            lines = [f"• {a.name}\n  {tr(language, a.about_msgid)}" for a in listed]
            text = tr(language, "handover.ask.association.list") + "\n\n" + "\n".join(lines)
            return text, [Button(a.name[:MAX_BUTTON_NAME], payloads.handover_answer(a.id)) for a in listed]
        best = ranked[0]
        text = tr(language, "handover.ask.association", name=best.name, about=tr(language, best.about_msgid))
        buttons = [choice(language, "handover.button.choose", best.id)]
        if len(ranked) > 1:
            buttons.append(Button(tr(language, "handover.button.others"), payloads.handover_others()))
        return text, buttons


class AskLevel(ChoiceQuestion):
    """What the association may know: contact, confidential or anonymous."""

    field, options, label = "level", handover.LEVELS, "handover.level.{option}.title"


class AskTextField(AskAction):
    """A question answered by typing; optional ones can be skipped."""

    def question(self, turn: Turn) -> tuple[str, list[Button]]:
        """The question, and a skip button when it is optional."""
        skip = [Button(tr(turn.language, "handover.button.skip"), payloads.handover_skip())]
        return tr(turn.language, f"handover.ask.{self.field}"), skip if self.field in OPTIONAL_TEXT else []


class AskAlias(AskTextField):
    """A first name or alias."""

    field = "alias"


class AskPhone(AskTextField):
    """A phone number."""

    field = "phone"


class AskCode(AskTextField):
    """A code phrase the association will use."""

    field = "code"


class AskMessage(AskTextField):
    """A few words for the association."""

    field = "message"


class AskContact(ChoiceQuestion):
    """How the association may reach the person."""

    field, options, label = "contact", handover.CONTACT_MODES, "handover.contact.{option}"


class AskTimes(ChoiceQuestion):
    """When the association may write first."""

    field, options, label = "times", safe_times.OPTIONS, "handover.times.{option}"


class AskNeeds(AskAction):
    """Needs as toggles, edited in place while ticking."""

    field = "needs"

    def question(self, turn: Turn) -> tuple[str, list[Button]]:
        """One toggle per need, then done."""
        ticked = turn.slot_list(TICKED_SLOT)
        toggles = [
            Button(
                ("☑ " if need in ticked else "☐ ") + tr(turn.language, f"handover.need.{need}"),
                payloads.handover_need(need),
            )
            for need in handover.NEEDS
        ]
        done = Button(tr(turn.language, "handover.button.needs_done"), payloads.handover_needs_done())
        return tr(turn.language, "handover.ask.needs"), [*toggles, done]

    def respond(self, turn: Turn) -> Reply:
        """The list; a tick edits the same message instead of sending a new one."""
        screen = self.question_screen(turn)
        if turn.intent == "handover_need":
            return Reply.of(replace(screen, directives=frozenset({Directive.EDIT})))
        return Reply.of(screen)
