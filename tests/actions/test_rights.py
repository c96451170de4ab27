"""Rights: the topics, an answer with its follow-ups and sources, and the urgent topics first."""

from __future__ import annotations

import pytest

from actions.rights import ActionRightsFollowup, ActionRightsMenu, ActionRightsSource, ActionRightsTopic
from core import payloads
from core.i18n import tr
from core.rights import load
from tests.actions.turns import pressed, run_action, typed

SAFE = {"safety_checked": True, "language": "en"}
CONTENT = load()


async def test_the_menu_lists_every_topic_then_the_way_back():
    outcome = await run_action(ActionRightsMenu(), pressed(payloads.RIGHTS))
    assert outcome.screen.text == tr("fr", "rights.overview")
    assert outcome.payloads() == [*(payloads.intent_only(t.intent) for t in CONTENT.topics), payloads.MENU]


async def test_a_topic_asks_for_safety_first():
    outcome = await run_action(ActionRightsTopic(), typed("titre de séjour ?", "rights_residence"))
    assert outcome.screen.text == tr("fr", "safety.question")
    assert outcome.slots["pending_request"] == "/rights_residence"
    assert "rights_topic" not in outcome.slots


@pytest.mark.parametrize("intent", ["need_shelter", "menu_emergency"])
async def test_shelter_and_the_numbers_never_wait_for_the_safety_question(intent):
    outcome = await run_action(ActionRightsTopic(), typed("…", intent))
    topic = CONTENT.topic_for_intent(intent)
    assert topic is not None
    assert outcome.screen.text.startswith(tr("fr", topic.text_msgid))
    assert outcome.slots["rights_topic"] == topic.id


async def test_a_topic_answer_offers_sources_followups_an_association_and_the_exit():
    on = typed("residence permit?", "rights_residence", slots=SAFE)
    outcome = await run_action(ActionRightsTopic(), on)
    screen = outcome.screen
    assert screen.text == tr("en", "rights.residence.text") + "\n\n" + tr("en", "rights.offer_association")
    assert screen.protect
    assert outcome.payloads() == [
        payloads.rights_source("residence"),
        payloads.rights_followup("residence.nodocs"),
        payloads.rights_followup("residence.police"),
        payloads.rights_followup("residence.housing"),
        payloads.rights_followup("residence.time"),
        payloads.rights_followup("residence.dropped"),
        payloads.ASSOCIATION,
        payloads.RIGHTS,
        payloads.ERASE,
    ]
    assert outcome.slots["rights_topic"] == "residence"


async def test_a_minors_answer_closes_with_the_informal_offer():
    outcome = await run_action(ActionRightsTopic(), typed("I'm 16", "rights_minors", slots=SAFE))
    assert outcome.screen.text.endswith(tr("en", "rights.offer_association_minor"))
    in_french = typed("j'ai 16 ans", "rights_minors", slots={**SAFE, "language": "fr"})
    french = await run_action(ActionRightsTopic(), in_french)
    assert french.screen.text.endswith("Une association peut t'aider, gratuitement et discrètement.")


async def test_an_intent_without_a_topic_offers_the_topics():
    outcome = await run_action(ActionRightsTopic(), typed("…", "greet", slots=SAFE))
    assert outcome.screen.text == tr("en", "rights.which_topic")
    assert "rights_topic" not in outcome.slots


async def test_a_followup_button_answers_it_and_remembers_its_topic():
    on = pressed(payloads.rights_followup("exit.debt"), slots=SAFE)
    outcome = await run_action(ActionRightsFollowup(), on)
    assert outcome.screen.text.startswith(tr("en", "rights.exit.debt.text"))
    assert payloads.rights_followup("exit.debt") not in outcome.payloads()
    assert payloads.intent_only("rights_exit") not in outcome.payloads()
    assert outcome.slots["rights_topic"] == "exit"


async def test_a_short_question_is_answered_within_the_current_topic():
    on = typed("and without papers?", "followup_nodocs", slots={**SAFE, "rights_topic": "work"})
    outcome = await run_action(ActionRightsFollowup(), on)
    assert outcome.screen.text.startswith(tr("en", "rights.work.nodocs.text"))
    assert "rights_topic" not in outcome.slots, "the topic stays as it was"


async def test_a_question_the_topic_does_not_answer_keeps_its_options():
    on = typed("and the cost?", "followup_cost", slots={**SAFE, "rights_topic": "work"})
    outcome = await run_action(ActionRightsFollowup(), on)
    assert outcome.screen.text == tr("en", "rights.followup_unknown")
    assert payloads.rights_source("work") in outcome.payloads()


async def test_a_short_question_without_a_topic_asks_which_one():
    outcome = await run_action(ActionRightsFollowup(), typed("is it free?", "followup_cost", slots=SAFE))
    assert outcome.screen.text == tr("en", "rights.which_topic")


async def test_a_followup_is_sensitive_too():
    outcome = await run_action(ActionRightsFollowup(), pressed(payloads.rights_followup("exit.debt")))
    assert outcome.screen.text == tr("fr", "safety.question")
    assert outcome.slots["pending_request"] == payloads.rights_followup("exit.debt")


async def test_the_sources_name_the_references_and_the_review_date():
    item = CONTENT.item("residence.police")
    assert item is not None
    outcome = await run_action(ActionRightsSource(), pressed(payloads.rights_source(item.id), slots=SAFE))
    assert item.reviewed.isoformat() in outcome.screen.text
    assert all(source in outcome.screen.text for source in item.sources)
    assert outcome.payloads() == [payloads.rights_followup(item.id), payloads.RIGHTS, payloads.ERASE]
    assert outcome.screen.protect


async def test_the_sources_of_a_topic_lead_back_to_the_topic():
    outcome = await run_action(ActionRightsSource(), pressed(payloads.rights_source("shelter"), slots=SAFE))
    assert outcome.payloads()[0] == payloads.intent_only("need_shelter")


async def test_sources_of_an_unknown_item_offer_the_topics():
    outcome = await run_action(ActionRightsSource(), pressed(payloads.rights_source("nope"), slots=SAFE))
    assert outcome.screen.text == tr("en", "rights.which_topic")


# When the model guessed, the other likely topics come beside the answer (issue 14, item 4).
GUESSED = [("rights_residence", 0.52), ("rights_work", 0.31), ("rights_health", 0.11), ("greet", 0.06)]


async def test_a_guessed_answer_is_followed_by_the_other_likely_topics():
    on = typed("…", "rights_residence", ranking=GUESSED, slots=SAFE)
    outcome = await run_action(ActionRightsTopic(), on)
    answer, offer = outcome.screens
    assert answer.text.startswith(tr("en", CONTENT.topic_for_intent("rights_residence").text_msgid))
    assert offer.text == tr("en", "suggestions.also")
    assert outcome.payloads() == [payloads.intent_only("rights_work"), payloads.intent_only("rights_health")]
    assert offer.buttons[0].title == tr("en", "rights.work.title")


async def test_a_confident_answer_comes_alone():
    sure = [("rights_residence", 0.86), ("rights_work", 0.12)]
    outcome = await run_action(ActionRightsTopic(), typed("…", "rights_residence", ranking=sure, slots=SAFE))
    assert len(outcome.screens) == 1


async def test_the_safety_question_keeps_the_other_likely_topics_for_after_the_tap():
    outcome = await run_action(ActionRightsTopic(), typed("…", "rights_residence", ranking=GUESSED))
    assert outcome.screen.text == tr("fr", "safety.question")
    kept = outcome.slots["pending_request"]
    assert kept == payloads.replay_with_alternatives("rights_residence", "rights_work rights_health")
    replayed = await run_action(ActionRightsTopic(), pressed(kept, slots={"safety_checked": True}))
    assert [screen.text for screen in replayed.screens][1] == tr("fr", "suggestions.also")
    assert replayed.payloads() == [payloads.intent_only("rights_work"), payloads.intent_only("rights_health")]


async def test_a_topic_the_answer_already_offers_is_not_offered_twice():
    ranking = [("rights_work", 0.5), ("menu_association", 0.4)]
    outcome = await run_action(ActionRightsTopic(), typed("…", "rights_work", ranking=ranking, slots=SAFE))
    assert len(outcome.screens) == 1, "the association button is on every answer already"


async def test_typed_words_inside_a_form_answer_its_question_and_bring_no_topics():
    on = typed("…", "rights_residence", ranking=GUESSED, slots=SAFE, active_loop="handover_form")
    outcome = await run_action(ActionRightsTopic(), on)
    assert len(outcome.screens) == 1
