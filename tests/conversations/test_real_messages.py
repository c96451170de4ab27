"""Messages as people really write them, through the real model (issue 14, tried as a new user).

Each comes from a new person with no language chosen: the reply must be in the message's language,
and what the person needs must be on screen after the first message and, when asked, the one tap
that answers the safety question.
"""

from __future__ import annotations

import pytest

from core import payloads
from core.i18n import tr
from core.rights import load

CONTENT = load()


async def first_answer(chat, text: str):
    """The screens after a first message and, if the safety question comes, its one tap."""
    person = chat()
    screens = await person.say(text)
    if screens[-1].text == tr(screens[-1].language, "safety.question"):
        screens += await person.say(payloads.safety_answer("safe"))
    return screens


async def test_vietnamese_without_tone_marks_about_kept_pay_and_passport(chat):
    text = "chu nha hang giu luong va ho chieu cua toi, toi lam viec 14 tieng moi ngay ma khong duoc tra tien"
    screens = await first_answer(chat, text)
    assert screens[-1].language == "vi"
    assert screens[-1].text.startswith(tr("vi", CONTENT.topic("work").text_msgid))


async def test_moroccan_arabic_in_latin_letters_in_danger_gets_the_numbers_in_arabic(chat):
    screens = await first_answer(chat, "3afak rajel bra l bab ghadi ydrebni, ana khayfa bzaf")
    assert screens[0].intent == "danger"
    assert screens[0].language == "ar" and screens[0].text.startswith(tr("ar", "emergency.numbers"))


async def test_locked_in_without_phones_asking_to_send_someone_gets_the_numbers(chat):
    screens = await first_answer(chat, "they took our phones and we cant leave the flat, send someone")
    assert screens[0].intent == "danger" and screens[0].language == "en"
    assert "112" in screens[0].text


async def test_french_administrative_words_keep_a_romanian_conversation_romanian(chat):
    screens = await first_answer(chat, "cum pot sa obtin titre de sejour daca am lucrat la negru doi ani?")
    assert screens[-1].language == "ro"
    assert screens[-1].text.startswith(tr("ro", CONTENT.topic("residence").text_msgid))


KINDS_OF_MISS = [
    # Asking for a human, in three languages.
    ("I want to talk to a real person please, not a robot", "menu_association", "en"),
    ("je voudrais parler à une vraie personne", "menu_association", "fr"),
    ("Мне нужно поговорить с живым человеком", "menu_association", "ru"),
    # An injury at work is about care, not pay.
    ("me corté la mano en la obra y el jefe no quiere llevarme al médico", "rights_health", "es"),
    ("I got injured at the factory and my boss says no hospital", "rights_health", "en"),
    # Compensation for harm is not wages.
    ("can I get money for what they did to me, not my salary, for the harm", "rights_compensation", "en"),
    # Professionals naming their job.
    ("sunt asistentă medicală și cred că o pacientă e exploatată, ce semne să caut?",
     "menu_professional", "ro"),
    ("je suis infirmière, une patiente semble contrôlée par son accompagnateur, que faire ?",
     "menu_professional", "fr"),
    # Small ads and football are out of scope.
    ("vendo sofá en buen estado, 50 euros, interesados escribir", "out_of_scope", "es"),
    ("who won the match last night, PSG or Marseille?", "out_of_scope", "en"),
    ("продавам детска количка, 30 лева, звънете вечер", "out_of_scope", "bg"),
    ("今晚谁跟我一起看欧冠决赛", "out_of_scope", "zh"),
    # Ukrainian and Russian typed in Latin letters by another scheme than the examples'.
    ("hospodar ne platyt meni zarplatu vzhe try misiatsi", "rights_work", "uk"),
    ("khoziain zabral pasport i ne platit zarplatu", "rights_work", "ru"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "intent", "language"), KINDS_OF_MISS)
async def test_each_kind_of_earlier_miss_reaches_its_answer_in_its_language(chat, text, intent, language):
    screens = await first_answer(chat, text)
    assert screens[-1].intent == intent and screens[-1].language == language


async def test_arabizi_written_with_digits_is_answered_in_arabic(chat):
    screens = await first_answer(chat, "l patron ma 3tanich lflous dyal 3 chhor")
    assert {screen.language for screen in screens} == {"ar"}
    work = payloads.intent_only("rights_work")
    offered = [button.payload for screen in screens for button in screen.buttons]
    assert any(screen.intent == "rights_work" for screen in screens) or work in offered


async def test_a_question_between_two_topics_is_answered_after_one_tap_with_the_other_on_offer(chat):
    """Whether this model hesitates here depends on its weights (they differ from one CPU to
    another); the offer itself is tested with fixed rankings in tests/actions/test_rights.py."""
    text = "si je porte plainte parce que mon patron ne me paie pas, j'aurai des papiers ?"
    asked, answered, answer, *offer = await first_answer(chat, text)
    assert (asked.text, answered.text) == (tr("fr", "safety.question"), tr("fr", "safety.safe"))
    assert answer.intent in {"rights_residence", "rights_work"} and answer.language == "fr"
    if offer:  # the model hesitated: the other topic is one tap away
        (also,) = offer
        assert also.text == tr("fr", "suggestions.also")
        other = {"rights_residence", "rights_work"} - {answer.intent}
        assert payloads.intent_only(other.pop()) in [button.payload for button in also.buttons]
