"""Every supported language through the trained model: detection, answers, menus, explicit choice."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from core import payloads
from core.i18n import tr
from core.languages import NATIVE_NAMES, SUPPORTED

HELD_OUT = Path(__file__).resolve().parent.parent / "nlu"


def first_held_out(language: str, intent: str) -> str:
    """The first held-out example of an intent in a language."""
    for path in sorted((HELD_OUT / language).glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if block["intent"] == intent:
                return block["examples"].splitlines()[0].strip()[2:]
    raise LookupError(f"no held-out {intent} in {language}")


async def test_new_user_tried_as_in_the_issue(chat):
    person = chat()
    romanian = await person.last("nu am unde sa dorm la noapte")
    assert (romanian.intent, romanian.language) == ("need_shelter", "ro")
    chinese = await person.last("我今晚没有地方睡觉")
    assert (chinese.intent, chinese.language) == ("need_shelter", "zh")
    assert "115" in romanian.text and "115" in chinese.text


@pytest.mark.parametrize("language", SUPPORTED)
async def test_a_shelter_question_is_answered_in_its_language(chat, language):
    screen = await chat().last(first_held_out(language, "need_shelter"))
    assert screen.intent == "need_shelter"
    assert screen.language == language
    assert screen.text.startswith(tr(language, "rights.shelter.text").split("\n")[0])


async def test_the_language_menu_shows_each_language_in_its_own_name(chat):
    screen = await chat().last(payloads.LANGUAGE)
    assert [button.title for button in screen.buttons] == [NATIVE_NAMES[code] for code in SUPPORTED]
    assert all(button.compact for button in screen.buttons)


@pytest.mark.parametrize("language", [code for code in SUPPORTED if code not in ("fr", "en")])
async def test_an_explicit_choice_wins_over_what_is_typed(chat, language):
    person = chat()
    await person.say(payloads.choose_language(language))
    screen = await person.last("I have nowhere to sleep tonight")
    assert screen.language == language and screen.intent == "need_shelter"
