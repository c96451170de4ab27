"""Real conversations through the trained Rasa model and the action server."""

from __future__ import annotations

import pytest

from core import payloads
from core.common_screens import menu_buttons
from core.i18n import tr
from core.languages import SUPPORTED

EMERGENCY_NUMBERS = ("17", "112", "114", "119")


def has_emergency_numbers(text: str) -> bool:
    return all(number in text for number in EMERGENCY_NUMBERS)


async def test_start_offers_languages_then_the_menu_in_the_chosen_language(chat):
    person = chat("fr")
    greeting = await person.last("/start")
    assert greeting.intent == "start"
    assert greeting.text == tr("fr", "start.greeting")
    assert [b.payload for b in greeting.buttons] == [payloads.choose_language(code) for code in SUPPORTED]
    menu = await person.last(payloads.choose_language("en"))
    assert menu.language == "en"
    assert menu.buttons == menu_buttons("en")
    assert tr("en", "menu.title") in menu.text


async def test_new_user_tried_as_in_the_issue(chat):
    person = chat()
    hello = await person.last("bonjour")
    assert (hello.intent, hello.language) == ("greet", "fr")
    shelter = await person.last("je dors dehors ce soir")
    assert (shelter.intent, shelter.language) == ("need_shelter", "fr")
    assert "115" in shelter.text
    danger = await person.last("help he is going to hurt me")
    assert (danger.intent, danger.language) == ("danger", "en")
    assert has_emergency_numbers(danger.text)


@pytest.mark.parametrize(
    ("payload", "intent", "must_contain"),
    [
        (payloads.RIGHTS, "menu_rights", None),
        (payloads.SCREENING, "menu_screening", None),
        (payloads.ASSOCIATION, "menu_association", None),  # the safety question comes first
        (payloads.EMERGENCY, "menu_emergency", "114"),
        (payloads.PROFESSIONAL, "menu_professional", None),
        (payloads.MENU, "menu", None),
    ],
)
async def test_every_menu_entry_answers(chat, payload, intent, must_contain):
    screen = await chat("en").last(payload)
    assert screen.intent == intent
    assert screen.language == "en"
    assert screen.text
    if must_contain:
        assert must_contain in screen.text


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("quels sont mes droits", "menu_rights"),
        ("what are my rights here", "menu_rights"),
        ("je veux parler à une association", "menu_association"),
        ("I am a social worker", "menu_professional"),
        ("je suis infirmière", "menu_professional"),
        ("I have nowhere to sleep tonight", "need_shelter"),
        ("merci beaucoup", "thanks"),
    ],
)
async def test_free_text_is_understood(chat, text, intent):
    assert (await chat().last(text)).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "il va me frapper",
        "au secours il m'a enfermée",
        "they are going to kill me",
        "he locked me in the room",
    ],
)
async def test_danger_words_bring_emergency_numbers_at_any_point(chat, text):
    person = chat("fr")
    await person.say("/start")
    await person.say(payloads.choose_language("fr"))
    await person.say(payloads.RIGHTS)
    screen = await person.last(text)
    assert screen.intent == "danger"
    assert has_emergency_numbers(screen.text)
    assert screen.buttons == menu_buttons(screen.language)


async def test_unknown_input_gets_a_translated_fallback_with_the_menu(chat):
    screen = await chat("en").last("zzkq vrmbl ptx")
    assert screen.intent in {"nlu_fallback", "out_of_scope"}
    assert tr("en", "fallback.not_understood") in screen.text
    assert screen.buttons == menu_buttons("en")


async def test_explicit_choice_wins_over_detection_and_language_command_changes_it(chat):
    person = chat("fr")
    await person.say(payloads.choose_language("fr"))
    assert (await person.last("I have nowhere to sleep tonight")).language == "fr"
    prompt = await person.last("/language")
    assert prompt.intent == "language"
    assert len(prompt.buttons) == len(SUPPORTED)
    assert (await person.last(payloads.choose_language("en"))).language == "en"
    assert (await person.last("je dors dehors ce soir")).language == "en"


async def test_client_language_is_used_when_nothing_else_is_known(chat):
    assert (await chat("en").last("/menu")).language == "en"
    assert (await chat("de").last("/menu")).language == "fr"


async def test_erase_forgets_the_conversation(chat):
    person = chat("fr")
    await person.say(payloads.choose_language("en"))
    assert await person.press(payloads.ERASE) == [], "the quick exit shows nothing"
    # The explicit choice is gone: the client language applies again.
    assert (await person.last("/menu")).language == "fr"


async def test_each_sender_is_a_separate_conversation(chat):
    first, second = chat("fr"), chat("fr")
    await first.say(payloads.choose_language("en"))
    assert (await first.last("/menu")).language == "en"
    assert (await second.last("/menu")).language == "fr"
