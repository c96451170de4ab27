"""Handover to an association: start, consent, submit, edit, cancel, status and withdrawal.

Nothing is sent without the person's confirmation of a consent screen that lists exactly the
fields the association will receive. The request is committed (with its delivery in the outbox)
before the person is told that it was sent.
"""

from __future__ import annotations

import hashlib
import secrets

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet

from actions import stores
from actions.base import (
    PENDING_REQUEST_SLOT,
    SAFETY_CHECKED_SLOT,
    ScreenAction,
    entity_value,
    safety_question,
)
from actions.handover_form import (
    BY_WORKER_SLOT,
    FORM,
    OTHERS_SLOT,
    TICKED_SLOT,
    UNCLEAR_SLOT,
    VIA_SLOT,
    filled,
    slot_of,
)
from core import handover, payloads
from core.common_screens import back_to_menu, menu_buttons
from core.exploitation import detect_form
from core.handover import Draft, shared_lines
from core.i18n import N_, tr
from core.payloads import make as payload
from core.places import departement_name, find_departement
from core.screens import Button, Directive, Screen

FIELD_SLOTS = [slot_of(f) for f in (*handover.ROUTING_FIELDS, *handover.LEVEL_FIELDS[handover.CONTACT])]
HELPER_SLOTS = [TICKED_SLOT, OTHERS_SLOT, UNCLEAR_SLOT, "ho_nonce"]
# Fields the consent screen lets the person change, and the answers that depend on them.
EDITABLE = {
    "departement": ("departement", "association"),
    "association": ("association",),
    "level": ("level", "alias", "contact", "phone", "times", "code", "message"),
    "alias": ("alias",),
    "contact": ("contact", "phone"),
    "times": ("times",),
    "code": ("code",),
    "needs": ("needs",),
    "message": ("message",),
}


def cleared(keep_via: bool = True) -> list[EventType]:
    """Forget every answer of the handover questions."""
    slots = FIELD_SLOTS + HELPER_SLOTS + ([] if keep_via else [VIA_SLOT, BY_WORKER_SLOT])
    return [SlotSet(slot, None) for slot in slots]


def draft_of(tracker: Tracker, language: str) -> Draft:
    """The request as answered so far."""
    needs = filled(tracker, "needs")
    return Draft(
        association_id=filled(tracker, "association") or "",
        level=filled(tracker, "level") or handover.ANONYMOUS,
        language=language,
        departement=filled(tracker, "departement"),
        form=filled(tracker, "form"),
        minor=filled(tracker, "minor") == "yes",
        needs=tuple(needs.split(",")) if needs else (),
        alias=filled(tracker, "alias"),
        contact=filled(tracker, "contact"),
        phone=filled(tracker, "phone"),
        times=filled(tracker, "times") or "any",
        code=filled(tracker, "code"),
        message=filled(tracker, "message"),
        by_worker=bool(tracker.get_slot(BY_WORKER_SLOT)),
    )


def association_name(association_id: str | None) -> str:
    found = stores.directory().get(association_id) if association_id else None
    return found.name if found else "—"


class ActionHandoverStart(ScreenAction):
    """Start the questions, keeping a place and a situation already named in the message."""

    action_name = "action_handover_start"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        if not stores.directory().reachable():
            return [Screen(tr(language, "handover.none_reachable"), language, back_to_menu(language))]
        if not tracker.get_slot(SAFETY_CHECKED_SLOT):
            return [safety_question(language)]
        return []

    def events(self, language: str, tracker: Tracker) -> list[EventType]:
        text = str(tracker.latest_message.get("text") or "")
        if text.startswith("/"):  # a button, e.g. "continue" after the safety question: keep what was said
            keep = {slot_of("departement"), slot_of("form")}
            events: list[EventType] = [e for e in cleared() if e["name"] not in keep]
        else:
            events = [*cleared(), *self._prefilled(text)]
        if not stores.directory().reachable():
            return events
        if not tracker.get_slot(SAFETY_CHECKED_SLOT):
            return [*events, SlotSet(PENDING_REQUEST_SLOT, payloads.ASSOCIATION)]
        return [*events, FollowupAction(FORM)]

    @staticmethod
    def _prefilled(text: str) -> list[EventType]:
        found = {"departement": find_departement(text), "form": detect_form(text)}
        return [SlotSet(slot_of(field), value) for field, value in found.items() if value]


class ActionHandoverConsent(ScreenAction):
    """Exactly what will be sent, to whom; confirm, change or cancel."""

    action_name = "action_handover_consent"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        draft = draft_of(tracker, language)
        lines = shared_lines(language, draft, departement_name(draft.departement))
        text = "\n".join(
            [
                tr(language, "handover.consent.intro", name=association_name(draft.association_id)),
                "",
                *lines,
                "",
                tr(language, "handover.consent.note"),
            ]
        )
        buttons = (
            Button(tr(language, "handover.button.confirm"), payload("handover_confirm")),
            Button(tr(language, "handover.button.edit"), payload("handover_edit")),
            Button(tr(language, "handover.button.cancel"), payload("handover_cancel")),
        )
        return [Screen(text, language, buttons, protect=True)]

    def events(self, language: str, tracker: Tracker) -> list[EventType]:
        return [SlotSet("ho_nonce", secrets.token_hex(8))]


class ActionHandoverSubmit(ScreenAction):
    """Store the request and its delivery, then say it is on its way. A second tap sends nothing more."""

    action_name = "action_handover_submit"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        nonce = tracker.get_slot("ho_nonce")
        key = hashlib.sha256(f"{tracker.sender_id}:{nonce}".encode()).hexdigest()
        draft = draft_of(tracker, language)
        if not nonce or not draft.association_id:  # a second tap finds the request already stored
            created = stores.handovers().find(key) if nonce else None
        else:
            created = stores.handovers().create(tracker.sender_id, draft, key)
        if created is None:
            return [Screen(tr(language, "handover.nothing_to_send"), language, menu_buttons(language))]
        msgid = N_("handover.sent") if created.created else N_("handover.already_sent")
        text = tr(language, msgid, name=association_name(created.association_id), reference=created.reference)
        buttons = (
            Button(tr(language, "handover.button.status"), payload("handover_status")),
            Button(tr(language, "menu.button.back"), payloads.MENU),
        )
        return [Screen(text, language, buttons, directives=frozenset({Directive.HANDOVER_CHAT}))]

    def events(self, language: str, tracker: Tracker) -> list[EventType]:
        # The nonce stays: a second tap on Send must find the request, not create another.
        return [event for event in cleared(keep_via=False) if event["name"] != "ho_nonce"]


class ActionHandoverEdit(ScreenAction):
    """Which answer to change."""

    action_name = "action_handover_edit"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        level = filled(tracker, "level")
        allowed = {"departement", "association", "level", "needs"} | set(handover.LEVEL_FIELDS.get(level, ()))
        buttons = [
            Button(tr(language, f"handover.edit.{name}"), payload("handover_change", s=name))
            for name in EDITABLE
            if name in allowed
        ]
        return [Screen(tr(language, "handover.edit.title"), language, (*buttons,))]


class ActionHandoverChange(ScreenAction):
    """Forget one answer (and those depending on it), then ask again."""

    action_name = "action_handover_change"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        return []

    def events(self, language: str, tracker: Tracker) -> list[EventType]:
        fields = EDITABLE.get(entity_value(tracker, "s") or "", ())
        resets = [SlotSet(slot_of(field), None) for field in fields]
        ticked = [SlotSet(TICKED_SLOT, None)] if "needs" in fields else []
        return [*resets, *ticked, SlotSet(OTHERS_SLOT, None), FollowupAction(FORM)]


class ActionHandoverCancel(ScreenAction):
    """Nothing is sent; every answer is forgotten."""

    action_name = "action_handover_cancel"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        return [Screen(tr(language, "handover.cancelled"), language, menu_buttons(language))]

    def events(self, language: str, tracker: Tracker) -> list[EventType]:
        return cleared(keep_via=False)


class ActionHandoverStatus(ScreenAction):
    """Where the person's requests stand."""

    action_name = "action_handover_status"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        requests = stores.handovers().requests_of(tracker.sender_id)
        if not requests:
            buttons = (
                Button(tr(language, "menu.button.association"), payloads.ASSOCIATION),
                *back_to_menu(language),
            )
            return [Screen(tr(language, "handover.status.none"), language, buttons)]
        lines = [
            tr(
                language,
                f"handover.status.{r.status}",
                reference=r.reference,
                name=association_name(r.association_id),
            )
            for r in requests
        ]
        buttons: list[Button] = []
        if any(r.status in ("waiting", "accepted") for r in requests):
            buttons.append(Button(tr(language, "handover.button.withdraw"), payload("handover_withdraw")))
        buttons.extend(back_to_menu(language))
        text = tr(language, "handover.status.title") + "\n\n" + "\n".join(lines)
        chat = frozenset({Directive.HANDOVER_CHAT})
        return [Screen(text, language, tuple(buttons), protect=True, directives=chat)]


class ActionHandoverWithdraw(ScreenAction):
    """Ask before withdrawing."""

    action_name = "action_handover_withdraw"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        if not any(
            r.status in ("waiting", "accepted") for r in stores.handovers().requests_of(tracker.sender_id)
        ):
            return [Screen(tr(language, "handover.status.none"), language, back_to_menu(language))]
        buttons = (
            Button(tr(language, "handover.button.withdraw_yes"), payload("handover_withdraw_confirm")),
            Button(tr(language, "handover.button.withdraw_no"), payloads.MENU),
        )
        return [Screen(tr(language, "handover.withdraw.question"), language, buttons)]


class ActionHandoverWithdrawConfirm(ScreenAction):
    """Withdraw: the personal fields are erased and the association is told."""

    action_name = "action_handover_withdraw_confirm"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        count = stores.handovers().withdraw(tracker.sender_id)
        msgid = N_("handover.withdrawn") if count else N_("handover.status.none")
        return [Screen(tr(language, msgid), language, menu_buttons(language))]


class ActionHandoverRefer(ActionHandoverStart):
    """A worker starts a handover for a person who agreed, with them."""

    action_name = "action_handover_refer"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        intro = Screen(tr(language, "handover.refer.intro"), language)
        return [intro, *super().screens(language, tracker)]

    def events(self, language: str, tracker: Tracker) -> list[EventType]:
        return [*super().events(language, tracker), SlotSet(BY_WORKER_SLOT, True)]


class ActionHandoverVia(ScreenAction):
    """Opened from a worker's hand-off link: language set, association proposed first, nothing sent yet."""

    action_name = "action_handover_via"

    def language(self, tracker: Tracker) -> str:
        from actions.conversation import chosen_language

        return chosen_language(tracker) or super().language(tracker)

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        name = association_name(entity_value(tracker, "a"))
        buttons = (
            Button(tr(language, "handover.button.start"), payloads.ASSOCIATION),
            *menu_buttons(language),
        )
        return [Screen(tr(language, "handover.via", name=name), language, buttons)]

    def events(self, language: str, tracker: Tracker) -> list[EventType]:
        association = entity_value(tracker, "a")
        known = association if stores.directory().get(association or "") else None
        return [SlotSet(VIA_SLOT, known), SlotSet("language_chosen", True)]
