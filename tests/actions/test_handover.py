"""Handover actions on a real (temporary) database: each asks the database once, inside its decision."""

from __future__ import annotations

import uuid

import pytest

from actions.conversation import ActionDefaultFallback
from actions.handover import (
    ActionHandoverCancel,
    ActionHandoverChange,
    ActionHandoverConsent,
    ActionHandoverEdit,
    ActionHandoverRefer,
    ActionHandoverStart,
    ActionHandoverStatus,
    ActionHandoverSubmit,
    ActionHandoverVia,
    ActionHandoverWithdraw,
    ActionHandoverWithdrawConfirm,
)
from core import payloads
from core.common_screens import menu_buttons
from core.handover import RequestStatus
from core.i18n import tr
from core.screens import Directive
from tests.actions.turns import pressed, run_action, typed

SAFE = {"safety_checked": True, "language": "en"}
ANSWERS = {
    "ho_departement": "13",
    "ho_minor": "no",
    "ho_form": "labour",
    "ho_association": "ccem",
    "ho_level": "contact",
    "ho_alias": "Sam",
    "ho_contact": "phone",
    "ho_phone": "+33 6 12 34 56 78",
    "ho_times": "afternoon",
    "ho_code": "blue bird",
    "ho_needs": "shelter,papers",
    "ho_message": "-",
}
ALL_ANSWER_SLOTS = {*ANSWERS, "ho_ticked", "ho_others", "ho_unclear", "ho_nonce"}
ROUTING_EDITABLE = ("departement", "association", "level")
WANT = "I want to talk to an association in Marseille, I work without being paid"


def person() -> str:
    return uuid.uuid4().hex


async def submitted(sender: str) -> None:
    """Send a full request as this person."""
    slots = {**SAFE, **ANSWERS, "ho_nonce": uuid.uuid4().hex[:16]}
    on = pressed(payloads.handover_confirm(), slots=slots, sender_id=sender)
    outcome = await run_action(ActionHandoverSubmit(), on)
    assert outcome.screen.has(Directive.HANDOVER_CHAT)


def ccem(stores) -> str:
    """The name of the association every request here goes to."""
    return stores.real.directory.get("ccem").name


async def test_no_reachable_association_is_said_plainly(unreachable):
    outcome = await run_action(ActionHandoverStart(), pressed(payloads.ASSOCIATION, slots=SAFE))
    assert outcome.screen.text == tr("en", "handover.none_reachable")
    assert outcome.followup is None and "pending_request" not in outcome.slots
    assert unreachable.directory.calls["reachable"] == 1


async def test_the_safety_question_comes_first_and_keeps_what_was_said(stores):
    on = typed(WANT, "menu_association", slots={"language": "en"})
    outcome = await run_action(ActionHandoverStart(), on)
    assert outcome.screen.text == tr("en", "safety.question")
    assert outcome.slots["pending_request"] == payloads.ASSOCIATION
    assert (outcome.slots["ho_departement"], outcome.slots["ho_form"]) == ("13", "labour")
    assert outcome.followup is None
    assert stores.directory.calls["reachable"] == 1


async def test_once_safe_the_questions_start(stores):
    outcome = await run_action(ActionHandoverStart(), typed(WANT, "menu_association", slots=SAFE))
    assert outcome.screens == []
    assert outcome.followup == "handover_form"
    assert outcome.slots["ho_alias"] is None and outcome.slots["ho_departement"] == "13"
    assert stores.directory.calls["reachable"] == 1


async def test_continuing_by_button_keeps_the_place_and_situation_already_said(stores):
    slots = {**SAFE, "ho_departement": "13", "ho_form": "labour", "ho_alias": "Old"}
    outcome = await run_action(ActionHandoverStart(), pressed(payloads.ASSOCIATION, slots=slots))
    assert "ho_departement" not in outcome.slots and "ho_form" not in outcome.slots
    assert outcome.slots["ho_alias"] is None


async def test_the_consent_shows_exactly_what_is_sent(stores):  # a skipped message counts as answered
    on = typed("-", "handover_skip", slots={**SAFE, **ANSWERS})
    outcome = await run_action(ActionHandoverConsent(), on)
    screen = outcome.screen
    assert screen.text.startswith(tr("en", "handover.consent.intro", name=ccem(stores)))
    papers = tr("en", "handover.need.papers")
    for shown in ("Sam", "+33 6 12 34 56 78", "blue bird", "13 Bouches-du-Rhône", papers):
        assert shown in screen.text
    assert screen.protect
    assert outcome.payloads() == [
        payloads.handover_confirm(),
        payloads.handover_edit(),
        payloads.handover_cancel(),
    ]
    assert len(outcome.slots["ho_nonce"]) == 16
    assert stores.directory.calls["get"] == 1


@pytest.mark.parametrize("missing", ["ho_minor", "ho_association", "ho_level", "ho_alias", "ho_phone"])
async def test_no_consent_screen_for_questions_never_answered(stores, missing):
    """Rasa takes a form that failed on the way (an action server died) for a finished one."""
    slots = {**SAFE, **ANSWERS, missing: None}
    outcome = await run_action(ActionHandoverConsent(), pressed(payloads.ASSOCIATION, slots=slots))
    assert outcome.screens == [] and outcome.followup == "handover_form", "the questions go on"
    assert "ho_nonce" not in outcome.slots, "nothing can be sent"


async def test_a_question_tapped_again_once_all_are_answered_shows_the_consent_again(stores):
    outcome = await run_action(
        ActionDefaultFallback(), pressed(payloads.handover_skip(), slots={**SAFE, **ANSWERS})
    )
    assert outcome.screen.text.startswith(tr("en", "handover.consent.intro", name=ccem(stores)))
    assert len(outcome.slots["ho_nonce"]) == 16 and outcome.followup == "action_listen"


async def test_sending_stores_the_request_once_and_a_second_tap_finds_it(stores):
    sender, nonce = person(), "0123456789abcdef"
    on = pressed(payloads.handover_confirm(), slots={**SAFE, **ANSWERS, "ho_nonce": nonce}, sender_id=sender)
    sent = await run_action(ActionHandoverSubmit(), on)
    (request,) = stores.real.handovers.requests_of(sender)
    assert sent.screen.text == tr("en", "handover.sent", name=ccem(stores), reference=request.reference)
    assert sent.screen.directives == {Directive.HANDOVER_CHAT}
    assert sent.payloads() == [payloads.handover_status(), payloads.MENU]
    assert stores.handovers.calls == {"create": 1}
    forgotten = {slot for slot, value in sent.slots.items() if value is None}
    assert forgotten >= (ALL_ANSWER_SLOTS - {"ho_nonce"}) | {"ho_via", "ho_by_worker"}
    assert "ho_nonce" not in sent.slots, "the nonce stays for a second tap"

    again = pressed(payloads.handover_confirm(), slots={**SAFE, "ho_nonce": nonce}, sender_id=sender)
    second = await run_action(ActionHandoverSubmit(), again)
    already = tr("en", "handover.already_sent", name=ccem(stores), reference=request.reference)
    assert second.screen.text == already
    assert stores.handovers.calls == {"create": 1, "find": 1}
    assert len(stores.real.handovers.requests_of(sender)) == 1


async def test_nothing_to_send_without_a_consent_screen(stores):
    on = pressed(payloads.handover_confirm(), slots={**SAFE, **ANSWERS})
    outcome = await run_action(ActionHandoverSubmit(), on)
    assert outcome.screen.text == tr("en", "handover.nothing_to_send")
    assert outcome.screen.buttons == menu_buttons("en")
    assert not stores.handovers.calls


@pytest.mark.parametrize(
    ("level", "editable"),
    [
        ("contact", [*ROUTING_EDITABLE, "alias", "contact", "times", "code", "needs", "message"]),
        ("anonymous", [*ROUTING_EDITABLE, "needs"]),
    ],
)
async def test_edit_offers_the_answers_of_the_level(level, editable):
    on = pressed(payloads.handover_edit(), slots={**SAFE, "ho_level": level})
    outcome = await run_action(ActionHandoverEdit(), on)
    assert outcome.screen.text == tr("en", "handover.edit.title")
    assert outcome.payloads() == [payloads.handover_change(field) for field in editable]


async def test_changing_an_answer_forgets_it_and_what_depends_on_it_then_asks_again():
    on = pressed(payloads.handover_change("contact"), slots=SAFE)
    outcome = await run_action(ActionHandoverChange(), on)
    assert outcome.screens == []
    assert outcome.slots == {"language": "en", "ho_contact": None, "ho_phone": None, "ho_others": None}
    assert outcome.followup == "handover_form"
    needs = await run_action(ActionHandoverChange(), pressed(payloads.handover_change("needs"), slots=SAFE))
    assert needs.slots["ho_ticked"] is None and needs.slots["ho_needs"] is None


async def test_cancel_forgets_every_answer():
    slots = {**SAFE, **ANSWERS, "ho_via": "ccem", "ho_by_worker": True}
    outcome = await run_action(ActionHandoverCancel(), pressed(payloads.handover_cancel(), slots=slots))
    assert outcome.screen.text == tr("en", "handover.cancelled")
    assert all(outcome.slots[slot] is None for slot in (*ALL_ANSWER_SLOTS, "ho_via", "ho_by_worker"))


async def test_status_without_a_request_offers_one(stores):
    outcome = await run_action(ActionHandoverStatus(), pressed(payloads.handover_status(), slots=SAFE))
    assert outcome.screen.text == tr("en", "handover.status.none")
    assert outcome.payloads() == [payloads.ASSOCIATION, payloads.MENU]
    assert stores.handovers.calls == {"requests_of": 1}


async def test_status_lists_the_requests_and_offers_to_withdraw_an_open_one(stores):
    sender = person()
    await submitted(sender)
    (request,) = stores.real.handovers.requests_of(sender)
    assert request.status == RequestStatus.WAITING
    on = pressed(payloads.handover_status(), slots=SAFE, sender_id=sender)
    outcome = await run_action(ActionHandoverStatus(), on)
    line = tr("en", "handover.status.waiting", reference=request.reference, name=ccem(stores))
    assert outcome.screen.text == tr("en", "handover.status.title") + "\n\n" + line
    assert outcome.payloads() == [payloads.handover_withdraw(), payloads.MENU]
    assert outcome.screen.protect and outcome.screen.has(Directive.HANDOVER_CHAT)


async def test_withdrawing_asks_first_then_withdraws_once(stores):
    sender = person()
    await submitted(sender)
    ask = typed("withdraw", "handover_withdraw", slots=SAFE, sender_id=sender)
    asked = await run_action(ActionHandoverWithdraw(), ask)
    assert asked.screen.text == tr("en", "handover.withdraw.question")
    assert asked.payloads() == [payloads.handover_withdraw_confirm(), payloads.MENU]

    confirm = pressed(payloads.handover_withdraw_confirm(), slots=SAFE, sender_id=sender)
    done = await run_action(ActionHandoverWithdrawConfirm(), confirm)
    assert done.screen.text == tr("en", "handover.withdrawn")
    assert stores.handovers.calls["withdraw"] == 1
    (request,) = stores.real.handovers.requests_of(sender)
    assert request.status == RequestStatus.WITHDRAWN

    status = await run_action(ActionHandoverStatus(), pressed(payloads.handover_status(), sender_id=sender))
    assert payloads.handover_withdraw() not in status.payloads(), "nothing open is left to withdraw"
    again = await run_action(ActionHandoverWithdrawConfirm(), confirm)
    assert again.screen.text == tr("en", "handover.status.none")


async def test_withdraw_without_an_open_request(stores):
    outcome = await run_action(ActionHandoverWithdraw(), typed("withdraw", "handover_withdraw", slots=SAFE))
    assert outcome.screen.text == tr("en", "handover.status.none")


async def test_a_worker_referral_says_a_word_then_starts(stores):
    on = pressed(payloads.handover_refer(), slots={"language": "en"})
    outcome = await run_action(ActionHandoverRefer(), on)
    intro, question = outcome.screens
    assert intro.text == tr("en", "handover.refer.intro")
    assert question.text == tr("en", "safety.question")
    assert outcome.slots["ho_by_worker"] is True and outcome.slots["pending_request"] == payloads.ASSOCIATION
    assert stores.directory.calls["reachable"] == 1


async def test_a_handoff_link_sets_the_language_and_proposes_its_association(stores):
    outcome = await run_action(ActionHandoverVia(), pressed(payloads.handover_via("ccem", "ar")))
    assert outcome.screen.language == "ar"
    assert outcome.screen.text == tr("ar", "handover.via", name=ccem(stores))
    assert outcome.payloads()[0] == payloads.ASSOCIATION
    assert outcome.slots == {"language": "ar", "ho_via": "ccem", "language_chosen": True}
    assert stores.directory.calls == {"get": 1}


async def test_a_link_to_an_unknown_association_proposes_none(stores):
    outcome = await run_action(ActionHandoverVia(), pressed(payloads.handover_via("gone", "en")))
    assert outcome.screen.text == tr("en", "handover.via", name="—")
    assert outcome.slots["ho_via"] is None
