"""The handover questions: what interrupts them, how each answer is read, and how each is asked."""

from __future__ import annotations

import pytest
from rasa_sdk.events import ActionExecutionRejected

from actions import handover_form
from actions.base import Turn
from actions.handover_form import (
    FORM,
    AskAlias,
    AskAssociation,
    AskDepartement,
    AskForm,
    AskLevel,
    AskMinor,
    AskNeeds,
    AskPhone,
    ValidateHandoverForm,
    answer_events,
    interrupts,
)
from core import payloads
from core.common_screens import static_fallback
from core.exploitation import FORMS_AND_OTHER
from core.handover import LEVELS, NEEDS
from core.i18n import tr
from core.screens import Directive
from tests.actions.turns import pressed, run_action, typed

EN = {"language": "en"}


def asking(field: str, **slots: object) -> dict:
    """Slots of a conversation in which this question is being asked."""
    return {**EN, "requested_slot": f"ho_{field}", **slots}


@pytest.mark.parametrize(
    ("field", "text", "intent", "leaves"),
    [
        ("alias", "Elena", "danger", False),  # the model reads a name as danger: the name is the answer
        ("alias", "Jing", "danger", False),
        ("code", "blue bird", "menu", False),
        ("message", "please call after 6", "danger", False),
        ("departement", "Marseille", "need_shelter", False),
        ("phone", "06 12 34 56 78", "danger", False),
        ("alias", "il va me tuer", "danger", True),  # the danger lexicon always interrupts
        ("message", "he is going to kill me", "danger", True),
        ("minor", "Elena", "danger", True),  # a question answered by a button: the model decides
        ("form", "he beats me", "danger", True),
        ("form", "take me to the menu", "menu", False),
        ("minor", "menu please", "menu", True),
        ("level", "hello", "greet", False),
    ],
)
def test_what_typed_text_interrupts(field, text, intent, leaves):
    assert interrupts(Turn.of(typed(text, intent, slots=asking(field)))) is leaves


@pytest.mark.parametrize(
    ("payload", "leaves"),
    [
        (payloads.MENU, True),
        (payloads.handover_cancel(), True),
        (payloads.EMERGENCY, True),
        (payloads.handover_answer("Sam"), False),
        (payloads.handover_skip(), False),
    ],
)
def test_buttons_interrupt_even_where_text_is_expected(payload, leaves):
    assert interrupts(Turn.of(pressed(payload, slots=asking("alias")))) is leaves


def events_for(on) -> dict:
    return {e["name"]: e["value"] for e in answer_events(Turn.of(on))}


def test_a_button_sets_only_a_value_the_question_offers():
    assert events_for(pressed(payloads.handover_answer("yes"), slots=asking("minor"))) == {"ho_minor": "yes"}
    assert events_for(pressed(payloads.handover_answer("maybe"), slots=asking("minor"))) == {}
    assert events_for(pressed(payloads.handover_answer("other"), slots=asking("form"))) == {
        "ho_form": "other"
    }


def test_an_association_button_must_be_one_of_the_candidates(stores):
    chosen = events_for(pressed(payloads.handover_answer("ccem"), slots=asking("association")))
    assert chosen == {"ho_association": "ccem"}
    assert events_for(pressed(payloads.handover_answer("nobody"), slots=asking("association"))) == {}
    assert stores.directory.calls["reachable"] == 2


def test_typed_answers_are_read_per_question():
    assert events_for(typed("Sam", "danger", slots=asking("alias"))) == {"ho_alias": "Sam"}
    assert events_for(typed("06 12 34 56 78", "out_of_scope", slots=asking("phone"))) == {
        "ho_phone": "+33 6 12 34 56 78"
    }
    assert events_for(typed("not a number", "out_of_scope", slots=asking("phone"))) == {"ho_unclear": "phone"}
    assert events_for(typed("x" * 41, "out_of_scope", slots=asking("alias"))) == {"ho_unclear": "alias"}
    assert events_for(typed("je suis à Lyon", "out_of_scope", slots=asking("departement"))) == {
        "ho_departement": "69"
    }


def test_skip_only_for_optional_questions():
    assert events_for(pressed(payloads.handover_skip(), slots=asking("code"))) == {"ho_code": "-"}
    assert events_for(pressed(payloads.handover_skip(), slots=asking("phone"))) == {}


def test_needs_are_ticked_then_finished():
    ticked = events_for(
        pressed(payloads.handover_need("papers"), slots=asking("needs", ho_ticked=["shelter"]))
    )
    assert ticked == {"ho_ticked": ["shelter", "papers"]}
    unticked = events_for(
        pressed(payloads.handover_need("shelter"), slots=asking("needs", ho_ticked=["shelter"]))
    )
    assert unticked == {"ho_ticked": []}
    assert events_for(pressed(payloads.handover_need("cake"), slots=asking("needs"))) == {}
    done = events_for(pressed(payloads.handover_needs_done(), slots=asking("needs", ho_ticked=["health"])))
    assert done == {"ho_needs": "health"}
    assert events_for(pressed(payloads.handover_needs_done(), slots=asking("needs"))) == {"ho_needs": "-"}


def test_nothing_is_read_when_no_question_is_asked():
    assert events_for(typed("Sam", "greet", slots=EN)) == {}


async def test_the_validation_rejects_an_interruption():
    outcome = await run_action(
        ValidateHandoverForm(), typed("il va me tuer", "danger", slots=asking("alias"))
    )
    assert outcome.screens == []
    assert outcome.events == [ActionExecutionRejected(FORM)]


@pytest.mark.filterwarnings("ignore:No method 'extract_:UserWarning")  # rasa_sdk, for every custom slot
async def test_the_validation_takes_a_name_and_asks_the_next_question():
    slots = asking("alias", ho_departement="13", ho_minor="no", ho_form="labour", ho_association="ccem")
    slots["ho_level"] = "contact"
    outcome = await run_action(ValidateHandoverForm(), typed("Jing", "danger", slots=slots))
    assert outcome.slots["ho_alias"] == "Jing"
    assert outcome.slots["requested_slot"] == "ho_contact"


async def test_a_failing_validation_shows_the_static_fallback_once_and_leaves_the_questions(monkeypatch):
    def broken(turn: Turn) -> list:
        raise ValueError("a typed phone number")

    monkeypatch.setattr(handover_form, "answer_events", broken)
    outcome = await run_action(ValidateHandoverForm(), typed("06", "out_of_scope", slots=asking("phone")))
    assert outcome.screen.text == static_fallback("en").text
    assert outcome.slots["requested_slot"] is None, "the form ends instead of failing again"
    assert outcome.followup == "action_listen"


async def test_every_question_is_protected_and_can_be_cancelled():
    for action in (AskDepartement(), AskMinor(), AskForm(), AskLevel(), AskAlias(), AskPhone(), AskNeeds()):
        outcome = await run_action(action, typed("…", "out_of_scope", slots=asking(action.field)))
        assert outcome.screen.protect
        assert outcome.payloads()[-1] == payloads.handover_cancel()
        assert outcome.screen.text.endswith(tr("en", f"handover.ask.{action.field}"))


async def test_choice_questions_offer_every_option():
    form = await run_action(AskForm(), typed("…", "out_of_scope", slots=asking("form")))
    assert form.payloads()[:-1] == [payloads.handover_answer(option) for option in FORMS_AND_OTHER]
    level = await run_action(AskLevel(), typed("…", "out_of_scope", slots=asking("level")))
    assert level.payloads()[:-1] == [payloads.handover_answer(option) for option in LEVELS]
    departement = await run_action(AskDepartement(), typed("…", "out_of_scope", slots=asking("departement")))
    assert departement.payloads() == [payloads.handover_answer("-"), payloads.handover_cancel()]


async def test_only_optional_text_questions_can_be_skipped():
    alias = await run_action(AskAlias(), typed("…", "out_of_scope", slots=asking("alias")))
    assert alias.payloads() == [payloads.handover_skip(), payloads.handover_cancel()]
    phone = await run_action(AskPhone(), typed("…", "out_of_scope", slots=asking("phone")))
    assert phone.payloads() == [payloads.handover_cancel()]


@pytest.mark.parametrize(("action", "hint"), [(AskPhone(), "phone"), (AskMinor(), "choose")])
async def test_an_unclear_answer_gets_a_hint_before_the_question(action, hint):
    on = typed("…", "out_of_scope", slots=asking(action.field, ho_unclear=action.field))
    outcome = await run_action(action, on)
    assert outcome.screen.text.startswith(tr("en", f"handover.unclear.{hint}") + "\n\n")


async def test_the_best_association_first_then_all_of_them(stores):
    slots = asking("association", ho_departement="13", ho_minor="no", ho_form="labour")
    best = await run_action(AskAssociation(), typed("…", "out_of_scope", slots=slots))
    name = stores.real.directory.get("ccem").name
    assert best.screen.text.startswith(
        tr("en", "handover.ask.association", name=name, about=tr("en", "association.ccem.about"))
    )
    assert best.payloads() == [
        payloads.handover_answer("ccem"),
        payloads.handover_others(),
        payloads.handover_cancel(),
    ]
    listed = await run_action(
        AskAssociation(), typed("…", "out_of_scope", slots={**slots, "ho_others": True})
    )
    assert listed.screen.text.startswith(tr("en", "handover.ask.association.list"))
    assert listed.payloads()[:2] == [
        payloads.handover_answer("ccem"),
        payloads.handover_answer("amicale_du_nid"),
    ]
    assert stores.directory.calls["reachable"] == 2


async def test_a_minor_is_offered_only_a_service_for_minors(stores):
    slots = asking("association", ho_departement="93", ho_minor="yes", ho_form="begging")
    outcome = await run_action(AskAssociation(), typed("…", "out_of_scope", slots=slots))
    assert outcome.payloads() == [payloads.handover_answer("hors_la_rue"), payloads.handover_cancel()]


async def test_the_association_of_a_handoff_link_comes_first(stores):
    slots = asking(
        "association", ho_departement="93", ho_minor="no", ho_form="labour", ho_via="amicale_du_nid"
    )
    outcome = await run_action(AskAssociation(), typed("…", "out_of_scope", slots=slots))
    assert outcome.payloads()[0] == payloads.handover_answer("amicale_du_nid")


async def test_no_association_to_propose(unreachable):
    outcome = await run_action(AskAssociation(), typed("…", "out_of_scope", slots=asking("association")))
    assert outcome.screen.text == tr("en", "handover.none_reachable")
    assert outcome.payloads() == [payloads.handover_cancel()]


async def test_ticking_a_need_edits_the_list_in_place():
    on = pressed(payloads.handover_need("papers"), slots=asking("needs", ho_ticked=["papers"]))
    outcome = await run_action(AskNeeds(), on)
    assert outcome.screen.directives == {Directive.EDIT}
    titles = {b.payload: b.title for b in outcome.screen.buttons}
    assert titles[payloads.handover_need("papers")].startswith("☑")
    assert all(titles[payloads.handover_need(n)].startswith("☐") for n in NEEDS if n != "papers")
    first = await run_action(AskNeeds(), typed("…", "out_of_scope", slots=asking("needs")))
    assert not first.screen.has(Directive.EDIT)
