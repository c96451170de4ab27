"""Opening, languages, menu, small talk, and the fallbacks that must never loop."""

from __future__ import annotations

import pytest

from actions.conversation import (
    ActionAskLanguage,
    ActionChooseLanguage,
    ActionDefaultFallback,
    ActionFallback,
    ActionGoodbye,
    ActionGreet,
    ActionMainMenu,
    ActionStart,
    ActionThanks,
)
from actions.handover_form import ANSWER_INTENTS, FORM
from actions.information import ActionAssociationInfo
from core import payloads
from core.common_screens import back_to_menu, language_buttons, menu_buttons
from core.i18n import tr
from core.languages import SUPPORTED
from tests.actions.turns import pressed, run_action, typed


async def test_start_greets_and_offers_every_language():
    outcome = await run_action(ActionStart(), typed("/start", "start", metadata={"client_language": "es"}))
    assert outcome.screen.text == tr("es", "start.greeting")
    assert outcome.screen.buttons == language_buttons()
    assert outcome.payloads() == [payloads.choose_language(code) for code in SUPPORTED]


async def test_the_language_command_offers_every_language():
    outcome = await run_action(ActionAskLanguage(), typed("/language", "language"))
    assert (outcome.screen.text, outcome.screen.buttons) == (tr("fr", "language.prompt"), language_buttons())


async def test_a_language_button_answers_in_it_and_remembers_the_choice():
    on = pressed(payloads.choose_language("uk"), slots={"language": "en"})
    outcome = await run_action(ActionChooseLanguage(), on)
    assert outcome.screen.language == "uk"
    assert outcome.screen.text == tr("uk", "language.confirmed") + "\n\n" + tr("uk", "menu.title")
    assert outcome.slots == {"language": "uk", "language_chosen": True}


async def test_an_unknown_language_code_keeps_the_language_and_no_choice():
    outcome = await run_action(ActionChooseLanguage(), pressed(payloads.choose_language("xx")))
    assert outcome.slots == {"language": "fr", "language_chosen": False}


@pytest.mark.parametrize(
    ("action", "lead"),
    [
        (ActionGreet(), "greet.reply"),
        (ActionThanks(), "thanks.reply"),
        (ActionGoodbye(), "goodbye.reply"),
        (ActionFallback(), "fallback.not_understood"),
    ],
)
async def test_small_talk_leads_to_the_menu(action, lead):
    outcome = await run_action(action, typed("…", "greet", metadata={"client_language": "pt"}))
    assert outcome.screen.text == tr("pt", lead) + "\n\n" + tr("pt", "menu.title")
    assert outcome.screen.buttons == menu_buttons("pt")
    assert outcome.followup is None, "rules end these with action_listen themselves"


async def test_the_main_menu():
    outcome = await run_action(ActionMainMenu(), pressed(payloads.MENU, slots={"language": "bg"}))
    assert (outcome.screen.text, outcome.screen.buttons) == (tr("bg", "menu.title"), menu_buttons("bg"))
    assert outcome.payloads()[-1] == payloads.ERASE


async def test_the_default_fallback_answers_once_then_listens():
    outcome = await run_action(ActionDefaultFallback(), typed("zzkq", "out_of_scope"))
    assert outcome.screen.text.startswith(tr("fr", "fallback.not_understood"))
    assert outcome.followup == "action_listen"


@pytest.mark.parametrize("intent", sorted(ANSWER_INTENTS))
async def test_a_handover_button_outside_the_questions_has_expired(intent):
    outcome = await run_action(ActionDefaultFallback(), pressed("/" + intent, slots={"language": "en"}))
    assert outcome.screen.text == tr("en", "fallback.question_expired") + "\n\n" + tr("en", "menu.title")
    assert outcome.screen.buttons == menu_buttons("en")
    assert outcome.followup == "action_listen"


async def test_inside_the_questions_a_handover_button_is_not_called_expired():
    outcome = await run_action(ActionDefaultFallback(), pressed("/handover_skip", active_loop=FORM))
    assert outcome.screen.text.startswith(tr("fr", "fallback.not_understood"))


async def test_the_association_information_is_sourced():
    outcome = await run_action(ActionAssociationInfo(), typed("…", "menu_association"))
    assert outcome.screen.text.startswith(tr("fr", "association.info"))
    assert tr("fr", "association.info.source") in outcome.screen.text
    assert outcome.screen.buttons == back_to_menu("fr")


HESITANT = [("nlu_fallback", 0.45), ("rights_work", 0.31), ("rights_compensation", 0.22),
            ("greet", 0.2), ("danger", 0.08), ("rights_exit", 0.02)]  # fmt: skip


async def test_an_unclear_message_offers_its_likeliest_topics_in_the_persons_language():
    on = typed("le patron garde mon argent", "nlu_fallback", ranking=HESITANT, slots={"language": "ro"})
    outcome = await run_action(ActionFallback(), on)
    assert outcome.screen.text == tr("ro", "fallback.suggestions")
    assert outcome.payloads() == [
        payloads.intent_only("rights_work"),
        payloads.intent_only("rights_compensation"),
        payloads.EMERGENCY,  # danger is among the likeliest: its numbers are one tap away
        payloads.ASSOCIATION,  # unsure what is needed: a person is one tap away
        payloads.MENU,
        payloads.ERASE,
    ]
    assert outcome.screen.buttons[0].title == tr("ro", "rights.work.title")


async def test_a_hesitation_that_already_offers_an_association_offers_it_once():
    ranking = [("nlu_fallback", 0.45), ("menu_association", 0.4), ("rights_work", 0.3)]
    outcome = await run_action(ActionFallback(), typed("…", "nlu_fallback", ranking=ranking))
    assert outcome.payloads() == [
        payloads.ASSOCIATION,
        payloads.intent_only("rights_work"),
        payloads.MENU,
        payloads.ERASE,
    ]
    assert outcome.screen.buttons[0].title == tr("fr", "menu.button.association")


async def test_noise_and_intents_without_an_answer_are_never_offered():
    ranking = [("nlu_fallback", 0.5), ("greet", 0.3), ("rights_health", 0.04)]
    outcome = await run_action(ActionFallback(), typed("…", "nlu_fallback", ranking=ranking))
    assert outcome.screen.buttons == menu_buttons("fr"), "nothing to suggest: the whole menu"


async def test_a_hesitation_whose_likeliest_reading_is_off_topic_gets_the_menu():
    ranking = [("nlu_fallback", 0.45), ("out_of_scope", 0.38), ("danger", 0.1), ("rights_work", 0.09)]
    outcome = await run_action(ActionFallback(), typed("zzkq vrmbl", "nlu_fallback", ranking=ranking))
    assert outcome.screen.text.startswith(tr("fr", "fallback.not_understood"))
    assert outcome.screen.buttons == menu_buttons("fr")


async def test_off_topic_gets_the_menu_not_suggestions():
    outcome = await run_action(ActionFallback(), typed("foot ce soir ?", "out_of_scope", ranking=HESITANT))
    assert outcome.screen.buttons == menu_buttons("fr")
