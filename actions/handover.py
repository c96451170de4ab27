"""Handover to an association: start, consent, submit, edit, cancel, status and withdrawal.

Nothing is sent without the person's confirmation of a consent screen that lists exactly the
fields the association will receive. The request is committed (with its delivery in the outbox)
before the person is told that it was sent.
"""

from __future__ import annotations

import hashlib
import secrets

from rasa_sdk.events import EventType, FollowupAction, SlotSet

from actions import stores
from actions.base import (
    LANGUAGE_CHOSEN_SLOT,
    PENDING_REQUEST_SLOT,
    SAFETY_CHECKED_SLOT,
    Reply,
    ScreenAction,
    Turn,
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
from core.directory import Association
from core.exploitation import detect_form
from core.handover import OPEN_STATUSES, Draft, RequestStatus, shared_lines
from core.i18n import N_, tr
from core.places import departement_name, find_departement
from core.screens import Button, Directive, Screen
from storage.handovers import Created, RequestView

NONCE_SLOT = "ho_nonce"
FIELD_SLOTS = [slot_of(f) for f in (*handover.ROUTING_FIELDS, *handover.LEVEL_FIELDS[handover.CONTACT])]
HELPER_SLOTS = [TICKED_SLOT, OTHERS_SLOT, UNCLEAR_SLOT, NONCE_SLOT]
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
ALWAYS_EDITABLE = {"departement", "association", "level", "needs"}
STATUS_LINES = {
    RequestStatus.WAITING: N_("handover.status.waiting"),
    RequestStatus.ACCEPTED: N_("handover.status.accepted"),
    RequestStatus.IN_CONTACT: N_("handover.status.accepted"),  # the person sees no difference
    RequestStatus.CLOSED: N_("handover.status.closed"),
    RequestStatus.WITHDRAWN: N_("handover.status.withdrawn"),
    RequestStatus.UNMATCHED: N_("handover.status.unmatched"),
}
UNKNOWN_NAME = "—"
CHAT = frozenset({Directive.HANDOVER_CHAT})


def cleared(keep_via: bool = True) -> list[EventType]:
    """Forget every answer of the handover questions."""
    slots = FIELD_SLOTS + HELPER_SLOTS + ([] if keep_via else [VIA_SLOT, BY_WORKER_SLOT])
    return [SlotSet(slot, None) for slot in slots]


def draft_of(turn: Turn) -> Draft:
    """The request as answered so far."""
    needs = filled(turn, "needs")
    return Draft(
        association_id=filled(turn, "association") or "",
        level=filled(turn, "level") or handover.ANONYMOUS,
        language=turn.language,
        departement=filled(turn, "departement"),
        form=filled(turn, "form"),
        minor=filled(turn, "minor") == "yes",
        needs=tuple(needs.split(",")) if needs else (),
        alias=filled(turn, "alias"),
        contact=filled(turn, "contact"),
        phone=filled(turn, "phone"),
        times=filled(turn, "times") or "any",
        code=filled(turn, "code"),
        message=filled(turn, "message"),
        by_worker=turn.slot_flag(BY_WORKER_SLOT),
    )


def association_of(association_id: str | None) -> Association | None:
    """The association of the live directory with this id, if any."""
    return stores.directory().get(association_id) if association_id else None


def name_of(association: Association | None) -> str:
    """An association's name, or a dash."""
    return association.name if association else UNKNOWN_NAME


def fresh_answers(turn: Turn) -> list[EventType]:
    """Forget earlier answers, keeping a place and a situation named in this message or just before."""
    if turn.is_button:  # e.g. "continue" after the safety question: keep what was said
        keep = {slot_of("departement"), slot_of("form")}
        return [event for event in cleared() if event["name"] not in keep]
    found = {"departement": find_departement(turn.text), "form": detect_form(turn.text)}
    return [*cleared(), *(SlotSet(slot_of(field), value) for field, value in found.items() if value)]


class ActionHandoverStart(ScreenAction):
    """Start the questions, keeping a place and a situation already named in the message."""

    action_name = "action_handover_start"

    def respond(self, turn: Turn) -> Reply:
        """The questions; the safety question first; or say that no association can be reached."""
        events = fresh_answers(turn)
        if not stores.directory().reachable():
            language = turn.language
            none = Screen(tr(language, "handover.none_reachable"), language, back_to_menu(language))
            return Reply.of(none, events=events)
        if not turn.slot_flag(SAFETY_CHECKED_SLOT):
            pending = SlotSet(PENDING_REQUEST_SLOT, payloads.ASSOCIATION)
            return Reply.of(safety_question(turn.language), events=[*events, pending])
        return Reply.of(events=[*events, FollowupAction(FORM)])


class ActionHandoverConsent(ScreenAction):
    """Exactly what will be sent, to whom; confirm, change or cancel."""

    action_name = "action_handover_consent"

    def respond(self, turn: Turn) -> Reply:
        """The fields as the association will read them, and a fresh nonce for the send button; the
        questions again if some were never answered (the form failed on the way, e.g. an action
        server died: Rasa then takes the form for finished)."""
        if unanswered(turn):
            return Reply.of(events=[FollowupAction(FORM)])
        language, draft = turn.language, draft_of(turn)
        name = name_of(association_of(draft.association_id))
        lines = shared_lines(language, draft, departement_name(draft.departement))
        intro = tr(language, "handover.consent.intro", name=name)
        text = "\n".join([intro, "", *lines, "", tr(language, "handover.consent.note")])
        buttons = (
            Button(tr(language, "handover.button.confirm"), payloads.handover_confirm()),
            Button(tr(language, "handover.button.edit"), payloads.handover_edit()),
            Button(tr(language, "handover.button.cancel"), payloads.handover_cancel()),
        )
        nonce = SlotSet(NONCE_SLOT, secrets.token_hex(8))
        return Reply.of(Screen(text, language, buttons, protect=True), events=[nonce])


def unanswered(turn: Turn) -> list[str]:
    """The questions of the chosen level never answered (a skipped one counts as answered)."""
    fields = handover.required_fields(turn.slot_text(slot_of("level")), turn.slot_text(slot_of("contact")))
    return [field for field in fields if turn.slot_text(slot_of(field)) is None]


def consent_waits(turn: Turn) -> bool:
    """Every question of a request answered, and the request neither sent nor cancelled (both
    forget the answers, the association among them)."""
    return not unanswered(turn)


def submission_key(sender_id: str, nonce: str | None) -> str:
    """The idempotency key of one consent screen: a second tap on its Send finds the same request."""
    return hashlib.sha256(f"{sender_id}:{nonce}".encode()).hexdigest()


def submit(turn: Turn) -> Created | None:
    """Store the request with its delivery, once; a second tap finds it; None when nothing to send."""
    nonce = turn.slot_text(NONCE_SLOT)
    if not nonce:
        return None
    key = submission_key(turn.sender_id, nonce)
    draft = draft_of(turn)
    if not draft.association_id:  # answers already cleared by the first tap
        return stores.handovers().find(key)
    return stores.handovers().create(turn.sender_id, draft, key)


class ActionHandoverSubmit(ScreenAction):
    """Store the request and its delivery, then say it is on its way. A second tap sends nothing more."""

    action_name = "action_handover_submit"

    def respond(self, turn: Turn) -> Reply:
        """Submit once and say so; the answers are forgotten, the nonce stays for a second tap."""
        language, created = turn.language, submit(turn)
        forget = [event for event in cleared(keep_via=False) if event["name"] != NONCE_SLOT]
        if created is None:
            nothing = Screen(tr(language, "handover.nothing_to_send"), language, menu_buttons(language))
            return Reply.of(nothing, events=forget)
        msgid = N_("handover.sent") if created.created else N_("handover.already_sent")
        name = name_of(association_of(created.association_id))
        text = tr(language, msgid, name=name, reference=created.reference)
        status = Button(tr(language, "handover.button.status"), payloads.handover_status())
        buttons = (status, *back_to_menu(language))
        return Reply.of(Screen(text, language, buttons, directives=CHAT), events=forget)


class ActionHandoverEdit(ScreenAction):
    """Which answer to change."""

    action_name = "action_handover_edit"

    def respond(self, turn: Turn) -> Reply:
        """One button per answer the chosen level has."""
        level = filled(turn, "level")
        allowed = ALWAYS_EDITABLE | set(handover.LEVEL_FIELDS.get(level or "", ()))
        buttons = tuple(
            Button(tr(turn.language, f"handover.edit.{name}"), payloads.handover_change(name))
            for name in EDITABLE
            if name in allowed
        )
        return Reply.of(Screen(tr(turn.language, "handover.edit.title"), turn.language, buttons))


class ActionHandoverChange(ScreenAction):
    """Forget one answer (and those depending on it), then ask again."""

    action_name = "action_handover_change"

    def respond(self, turn: Turn) -> Reply:
        """No screen: the form asks the question again."""
        fields = EDITABLE.get(turn.entity("s") or "", ())
        resets = [SlotSet(slot_of(field), None) for field in fields]
        ticked = [SlotSet(TICKED_SLOT, None)] if "needs" in fields else []
        return Reply.of(events=[*resets, *ticked, SlotSet(OTHERS_SLOT, None), FollowupAction(FORM)])


class ActionHandoverCancel(ScreenAction):
    """Nothing is sent; every answer is forgotten."""

    action_name = "action_handover_cancel"

    def respond(self, turn: Turn) -> Reply:
        """Say so, and forget."""
        language = turn.language
        cancelled = Screen(tr(language, "handover.cancelled"), language, menu_buttons(language))
        return Reply.of(cancelled, events=cleared(keep_via=False))


def is_open(request: RequestView) -> bool:
    """The request can still be withdrawn."""
    return request.status in OPEN_STATUSES


def status_line(language: str, request: RequestView, names: dict[str | None, str]) -> str:
    """One request: its reference, its association and where it stands."""
    msgid = STATUS_LINES[RequestStatus(request.status)]
    return tr(language, msgid, reference=request.reference, name=names[request.association_id])


def no_request(language: str) -> Screen:
    """The person has no request: offer to start one."""
    buttons = (Button(tr(language, "menu.button.association"), payloads.ASSOCIATION), *back_to_menu(language))
    return Screen(tr(language, "handover.status.none"), language, buttons)


class ActionHandoverStatus(ScreenAction):
    """Where the person's requests stand."""

    action_name = "action_handover_status"

    def respond(self, turn: Turn) -> Reply:
        """One line per request; withdraw while one is open."""
        language, requests = turn.language, stores.handovers().requests_of(turn.sender_id)
        if not requests:
            return Reply.of(no_request(language))
        names = {aid: name_of(association_of(aid)) for aid in {r.association_id for r in requests}}
        lines = [status_line(language, request, names) for request in requests]
        withdraw = [Button(tr(language, "handover.button.withdraw"), payloads.handover_withdraw())]
        buttons = (*(withdraw if any(is_open(r) for r in requests) else []), *back_to_menu(language))
        text = tr(language, "handover.status.title") + "\n\n" + "\n".join(lines)
        return Reply.of(Screen(text, language, buttons, protect=True, directives=CHAT))


class ActionHandoverWithdraw(ScreenAction):
    """Ask before withdrawing."""

    action_name = "action_handover_withdraw"

    def respond(self, turn: Turn) -> Reply:
        """The question, when a request is still open."""
        language = turn.language
        if not any(is_open(r) for r in stores.handovers().requests_of(turn.sender_id)):
            return Reply.of(Screen(tr(language, "handover.status.none"), language, back_to_menu(language)))
        buttons = (
            Button(tr(language, "handover.button.withdraw_yes"), payloads.handover_withdraw_confirm()),
            Button(tr(language, "handover.button.withdraw_no"), payloads.MENU),
        )
        return Reply.of(Screen(tr(language, "handover.withdraw.question"), language, buttons))


class ActionHandoverWithdrawConfirm(ScreenAction):
    """Withdraw: the personal fields are erased and the association is told."""

    action_name = "action_handover_withdraw_confirm"

    def respond(self, turn: Turn) -> Reply:
        """Withdraw once and say so."""
        count = stores.handovers().withdraw(turn.sender_id)
        msgid = N_("handover.withdrawn") if count else N_("handover.status.none")
        return Reply.of(Screen(tr(turn.language, msgid), turn.language, menu_buttons(turn.language)))


class ActionHandoverRefer(ActionHandoverStart):
    """A worker starts a handover for a person who agreed, with them."""

    action_name = "action_handover_refer"

    def respond(self, turn: Turn) -> Reply:
        """A word for the worker, then the start of the questions."""
        start = super().respond(turn)
        intro = Screen(tr(turn.language, "handover.refer.intro"), turn.language)
        return Reply((intro, *start.screens), (*start.events, SlotSet(BY_WORKER_SLOT, True)))


class ActionHandoverVia(ScreenAction):
    """Opened from a worker's hand-off link: language set, association proposed first, nothing sent yet."""

    action_name = "action_handover_via"
    follows_language_button = True

    def respond(self, turn: Turn) -> Reply:
        """Name the association of the link and offer to start; remember it for the questions."""
        language, association = turn.language, association_of(turn.entity("a"))
        start = Button(tr(language, "handover.button.start"), payloads.ASSOCIATION)
        buttons = (start, *menu_buttons(language))
        screen = Screen(tr(language, "handover.via", name=name_of(association)), language, buttons)
        via = SlotSet(VIA_SLOT, association.id if association else None)
        return Reply.of(screen, events=[via, SlotSet(LANGUAGE_CHOSEN_SLOT, True)])
