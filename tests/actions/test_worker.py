"""Worker mode: profiles, checklists ticked in place, the summary once, the talk card, hand-off links."""

from __future__ import annotations

from actions.worker import (
    ActionWorkerDone,
    ActionWorkerForm,
    ActionWorkerHandoff,
    ActionWorkerProfile,
    ActionWorkerStart,
    ActionWorkerTalk,
    ActionWorkerToggle,
)
from core import payloads
from core.i18n import tr
from core.languages import SUPPORTED
from core.screens import Directive
from core.worker import load
from tests.actions.turns import pressed, run_action, typed

CONTENT = load()
LABOUR = [item.id for item in CONTENT.forms["labour"]]
EN = {"language": "en"}


async def test_the_profiles_are_offered():
    outcome = await run_action(ActionWorkerStart(), pressed(payloads.PROFESSIONAL, slots=EN))
    assert outcome.screen.text == tr("en", "worker.choose_profile")
    assert outcome.payloads() == [payloads.worker_profile(p) for p in CONTENT.profiles]
    assert set(outcome.slots) == {"language"}


async def test_a_profile_named_in_words_goes_straight_to_the_checklists():
    outcome = await run_action(ActionWorkerStart(), typed("I am a nurse", "menu_professional", slots=EN))
    named = tr("en", "worker.profile_named", profile=tr("en", "worker.profile.health.title"))
    assert outcome.screen.text == named + "\n\n" + tr("en", "worker.choose_form")
    assert outcome.slots["worker_profile"] == "health"


async def test_a_profile_button_keeps_a_known_profile():
    outcome = await run_action(ActionWorkerProfile(), pressed(payloads.worker_profile("social"), slots=EN))
    assert outcome.screen.text == tr("en", "worker.choose_form")
    assert outcome.payloads()[: len(CONTENT.forms)] == [payloads.worker_form(f) for f in CONTENT.forms]
    assert outcome.slots["worker_profile"] == "social"
    kept = await run_action(ActionWorkerProfile(), pressed(payloads.worker_profile("_"), slots=EN))
    assert "worker_profile" not in kept.slots


async def test_a_checklist_opens_with_nothing_ticked():
    outcome = await run_action(ActionWorkerForm(), pressed(payloads.worker_form("labour"), slots=EN))
    lead, title = outcome.screen.text.splitlines()[:2]
    assert (lead, title) == (tr("en", "worker.checklist.lead"), tr("en", "worker.form.labour.title"))
    assert outcome.payloads()[: len(LABOUR)] == [payloads.worker_toggle(item) for item in LABOUR]
    assert all(button.title.startswith("☐") and button.compact for button in outcome.screen.buttons[:6])
    assert outcome.slots["worker_form"] == "labour" and outcome.slots["worker_ticked"] == []


async def test_an_unknown_checklist_shows_the_list():
    outcome = await run_action(ActionWorkerForm(), pressed(payloads.worker_form("nope"), slots=EN))
    assert outcome.screen.text == tr("en", "worker.choose_form")
    assert set(outcome.slots) == {"language"}


async def test_a_tick_edits_the_checklist_in_place():
    slots = {**EN, "worker_form": "labour", "worker_ticked": [LABOUR[0]]}
    outcome = await run_action(ActionWorkerToggle(), pressed(payloads.worker_toggle(LABOUR[2]), slots=slots))
    assert outcome.screen.directives == {Directive.EDIT}
    assert [b.title[0] for b in outcome.screen.buttons[:3]] == ["☑", "☐", "☑"]
    assert outcome.slots["worker_ticked"] == [LABOUR[0], LABOUR[2]]
    assert tr("en", "worker.button.done", count=2) in [b.title for b in outcome.screen.buttons]


async def test_a_second_tick_unticks():
    slots = {**EN, "worker_form": "labour", "worker_ticked": [LABOUR[0]]}
    outcome = await run_action(ActionWorkerToggle(), pressed(payloads.worker_toggle(LABOUR[0]), slots=slots))
    assert outcome.slots["worker_ticked"] == []


async def test_a_tick_without_a_checklist_shows_the_list():
    outcome = await run_action(ActionWorkerToggle(), pressed(payloads.worker_toggle(LABOUR[0]), slots=EN))
    assert outcome.screen.text == tr("en", "worker.choose_form")
    assert not outcome.screen.has(Directive.EDIT)


async def test_the_summary_counts_families_then_forgets_the_ticks():
    slots = {**EN, "worker_form": "labour", "worker_ticked": LABOUR[:2], "worker_profile": "health"}
    outcome = await run_action(ActionWorkerDone(), pressed(payloads.worker_done(), slots=slots))
    first, steps = outcome.screens
    assert tr("en", "worker.summary.total", count=2) in first.text
    assert steps.text == tr("en", "worker.profile.health.next")
    assert {payloads.handover_refer(), payloads.worker_profile("health")} <= set(outcome.payloads())
    assert outcome.slots["worker_form"] is None and outcome.slots["worker_ticked"] is None


async def test_an_empty_summary_and_an_unknown_profile():
    outcome = await run_action(ActionWorkerDone(), pressed(payloads.worker_done(), slots=EN))
    assert outcome.screens[0].text == tr("en", "worker.summary.none")
    assert outcome.screens[1].text == tr("en", "worker.profile.other.next")


async def test_the_talk_card_follows_the_profile():
    on = pressed(payloads.worker_talk(), slots={**EN, "worker_profile": "police"})
    outcome = await run_action(ActionWorkerTalk(), on)
    assert outcome.screen.text == tr("en", "worker.profile.police.talk")
    assert outcome.payloads()[0] == payloads.worker_profile("police")


async def test_a_handoff_link_starts_with_the_persons_language():
    outcome = await run_action(ActionWorkerHandoff(), pressed(payloads.worker_handoff(), slots=EN))
    assert outcome.screen.text == tr("en", "worker.handoff.language")
    assert outcome.payloads() == [payloads.worker_handoff(code) for code in SUPPORTED]


async def test_then_a_reachable_association(stores):
    outcome = await run_action(ActionWorkerHandoff(), pressed(payloads.worker_handoff("ar"), slots=EN))
    assert outcome.screen.text == tr("en", "worker.handoff.association")
    assert payloads.worker_handoff("ar", "ccem") in outcome.payloads()
    assert len(outcome.payloads()) == len(stores.directory.reachable())


async def test_then_the_link_to_show(stores):
    on = pressed(payloads.worker_handoff("ar", "ccem"), slots=EN)
    outcome = await run_action(ActionWorkerHandoff(), on)
    assert outcome.screen.handoff == "h-ar-ccem"
    assert outcome.screen.text == tr("en", "worker.handoff.ready", name=stores.directory.get("ccem").name)


async def test_no_link_towards_an_association_that_cannot_be_reached(unreachable):
    on = pressed(payloads.worker_handoff("ar", "ccem"), slots=EN)
    outcome = await run_action(ActionWorkerHandoff(), on)
    assert outcome.screen.text == tr("en", "handover.none_reachable")
    assert outcome.screen.handoff is None
