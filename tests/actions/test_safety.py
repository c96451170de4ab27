"""Emergency numbers, erasing, the auto-erase delay and the safety question."""

from __future__ import annotations

import pytest

from actions.base import AUTO_ERASE_METADATA
from actions.safety import (
    AUTO_ERASE_CHOICES,
    ActionAutoErase,
    ActionEmergency,
    ActionEraseConversation,
    ActionPhoneSafety,
    ActionSafetyAnswer,
    ActionSetAutoErase,
)
from core import payloads
from core.common_screens import back_to_menu, menu_buttons
from core.i18n import tr
from core.screens import Directive
from tests.actions.turns import pressed, run_action, typed

CHANGED = Directive.AUTO_ERASE_CHANGED


async def test_danger_gets_the_numbers_and_the_menu():
    outcome = await run_action(ActionEmergency(), typed("il va me tuer", "danger"))
    assert outcome.screen.text == tr("fr", "emergency.numbers")
    assert outcome.screen.buttons == menu_buttons("fr")


async def test_danger_during_the_screening_offers_to_resume_it_first():
    on = typed("he will kill me", "danger", slots={"screening_version": "adult", "language": "en"})
    outcome = await run_action(ActionEmergency(), on)
    assert outcome.payloads()[0] == payloads.screening_resume()
    assert outcome.screen.buttons[1:] == menu_buttons("en")


async def test_erasing_carries_the_erase_directive():
    outcome = await run_action(ActionEraseConversation(), typed("efface tout", "menu_erase"))
    assert outcome.screen.text == tr("fr", "erase.done")
    assert outcome.screen.directives == {Directive.ERASE}


async def test_the_choices_name_the_current_delay_as_the_channel_sends_it():
    slot, metadata = {"auto_erase_seconds": 300.0}, {AUTO_ERASE_METADATA: 3600}
    on = typed("/auto_erase", "auto_erase", slots=slot, metadata=metadata)
    outcome = await run_action(ActionAutoErase(), on)
    current = tr("fr", "auto_erase.button.1h")
    assert outcome.screen.text == tr("fr", "auto_erase.prompt", current=current)
    assert outcome.payloads() == [payloads.set_auto_erase(seconds) for seconds in AUTO_ERASE_CHOICES]
    assert outcome.screen.erase_after == 3600


@pytest.mark.parametrize(("seconds", "label"), [(300, "5min"), (86400, "24h")])
async def test_a_chosen_delay_is_applied_to_the_whole_conversation(seconds, label):
    on = pressed(payloads.set_auto_erase(seconds), metadata={AUTO_ERASE_METADATA: 3600})
    outcome = await run_action(ActionSetAutoErase(), on)
    assert outcome.screen.text == tr("fr", "auto_erase.set", current=tr("fr", f"auto_erase.button.{label}"))
    assert outcome.screen.directives == {CHANGED}
    assert outcome.screen.erase_after == seconds, "the screen carries the new delay, not the old one"
    assert outcome.slots["auto_erase_seconds"] == seconds
    assert outcome.screen.buttons == back_to_menu("fr")


async def test_turning_auto_erase_off():
    on = pressed(payloads.set_auto_erase(0), slots={"auto_erase_seconds": 300.0})
    outcome = await run_action(ActionSetAutoErase(), on)
    assert outcome.screen.has(CHANGED) and outcome.screen.erase_after is None
    assert outcome.slots["auto_erase_seconds"] is None


async def test_an_unknown_delay_shows_the_choices_and_changes_nothing():
    on = pressed(payloads.set_auto_erase(42), slots={"auto_erase_seconds": 300.0})
    outcome = await run_action(ActionSetAutoErase(), on)
    current = tr("fr", "auto_erase.button.5min")
    assert outcome.screen.text == tr("fr", "auto_erase.prompt", current=current)
    assert not outcome.screen.has(CHANGED) and outcome.screen.erase_after == 300
    assert set(outcome.slots) == {"language"}


async def test_safe_asks_for_the_kept_request_to_follow_in_the_same_turn():
    on = pressed(payloads.safety_answer("safe"), slots={"pending_request": payloads.SCREENING})
    outcome = await run_action(ActionSafetyAnswer(), on)
    assert outcome.screen.text == tr("fr", "safety.safe")
    assert outcome.screen.then == payloads.SCREENING, "no Continue step: the pipeline sends it on"
    assert outcome.payloads() == [payloads.PHONE_SAFETY, payloads.ERASE]
    assert outcome.slots == {"language": "fr", "safety_checked": True}, "kept until it is answered"
    assert not outcome.screen.has(CHANGED) and outcome.screen.erase_after is None


async def test_watched_erases_after_five_minutes_from_now_on():
    outcome = await run_action(ActionSafetyAnswer(), pressed(payloads.safety_answer("watched")))
    assert outcome.screen.text == tr("fr", "safety.watched")
    assert outcome.payloads()[0] == payloads.MENU, "nothing was kept: the menu is offered"
    assert outcome.screen.then is None
    assert outcome.screen.has(CHANGED) and outcome.screen.erase_after == 300
    assert outcome.slots["auto_erase_seconds"] == 300 and outcome.slots["safety_checked"] is True


async def test_an_unknown_safety_answer_asks_again():
    outcome = await run_action(ActionSafetyAnswer(), pressed(payloads.safety_answer("maybe")))
    assert outcome.screen.text == tr("fr", "safety.question")
    assert set(outcome.slots) == {"language"}


async def test_the_phone_safety_card_is_protected():
    outcome = await run_action(ActionPhoneSafety(), pressed(payloads.PHONE_SAFETY))
    assert outcome.screen.protect
    assert outcome.payloads() == [payloads.AUTO_ERASE, payloads.CODE_WORD, payloads.MENU]


async def test_danger_the_classifier_was_not_sure_of_keeps_the_question_one_tap_away():
    ranking = [("danger", 0.66), ("rights_work", 0.55), ("rights_residence", 0.2)]
    outcome = await run_action(ActionEmergency(), typed("…", "danger", ranking=ranking))
    numbers, offer = outcome.screens
    assert numbers.text == tr("fr", "emergency.numbers")
    assert offer.text == tr("fr", "suggestions.also")
    offered = [payloads.intent_only("rights_work"), payloads.intent_only("rights_residence")]
    assert outcome.payloads() == offered


async def test_a_danger_phrase_brings_the_numbers_first_and_what_the_model_read_one_tap_away():
    ranking = [("danger", 1.0), ("need_shelter", 0.9), ("rights_work", 0.05)]
    outcome = await run_action(ActionEmergency(), typed("…", "danger", ranking=ranking))
    numbers, offer = outcome.screens
    assert numbers.text == tr("fr", "emergency.numbers")
    assert offer.text == tr("fr", "suggestions.also")
    assert outcome.payloads() == [payloads.intent_only("need_shelter")]


async def test_danger_the_model_read_too_brings_the_numbers_alone():
    ranking = [("danger", 1.0), ("rights_work", 0.3)]
    outcome = await run_action(ActionEmergency(), typed("…", "danger", ranking=ranking))
    assert len(outcome.screens) == 1
