"""Rights answers through the trained model: free questions, buttons, follow-ups, sources."""

from __future__ import annotations

import pytest

from core import payloads
from core.i18n import tr
from core.rights import load

CONTENT = load()

QUESTIONS = {
    "residence": {
        "fr": "est-ce que je peux avoir un titre de séjour si je dénonce mon patron",
        "en": "can I get a residence permit if I report them",
    },
    "shelter": {"fr": "je n'ai nulle part où dormir cette nuit", "en": "I have no place to sleep tonight"},
    "exit": {
        "fr": "je veux arrêter la prostitution, il y a une aide ?",
        "en": "I want to get out of prostitution, is there any help",
    },
    "complaint": {"fr": "comment porter plainte contre eux", "en": "how can I file a complaint against them"},
    "work": {"fr": "mon patron ne me paie pas depuis des mois", "en": "my boss has not paid me for months"},
    "compensation": {
        "fr": "est-ce que je peux être indemnisée pour ce que j'ai subi",
        "en": "can I get compensation for what they did to me",
    },
    "health": {
        "fr": "je suis malade et je n'ai pas de papiers, je peux voir un médecin ?",
        "en": "I'm sick and have no insurance, can I see a doctor",
    },
    "minors": {"fr": "j'ai 16 ans et on m'oblige à voler", "en": "I'm 15 and they make me steal"},
    "numbers": {"fr": "c'est quoi le 3919", "en": "which phone numbers can I call"},
}


def answer_text(language: str, item_id: str) -> str:
    return tr(language, CONTENT.item(item_id).text_msgid)


def payload_titled(screen, title: str) -> str:
    return next(button.payload for button in screen.buttons if button.title == title)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("topic_id", list(QUESTIONS))
async def test_a_free_question_reaches_the_topic(chat, topic_id, language):
    screen = await chat(language, safe=True).last(QUESTIONS[topic_id][language])
    assert screen.text.startswith(answer_text(language, topic_id)), f"got intent {screen.intent}"
    assert screen.language == language
    assert tr(language, CONTENT.offer_msgid(CONTENT.item(topic_id))) in screen.text
    assert payloads.ASSOCIATION in [button.payload for button in screen.buttons]


# Issue 15, tried as a new user would: the question about papers after a wage complaint is
# answered by the residence or the work topic, and both say plainly that it gives no papers.
WAGE_COMPLAINT_FOR_PAPERS = {
    "fr": "si je porte plainte parce que mon patron ne me paie pas, j'aurai des papiers ?",
    "ro": "dacă fac plângere pentru că șeful nu mă plătește, o să primesc acte?",
}


@pytest.mark.parametrize("language", sorted(WAGE_COMPLAINT_FOR_PAPERS))
async def test_a_wage_complaint_is_never_presented_as_a_way_to_papers(chat, language):
    screen, *offer = await chat(language, safe=True).say(WAGE_COMPLAINT_FOR_PAPERS[language])
    answers = [answer_text(language, "residence"), answer_text(language, "work")]
    assert any(screen.text.startswith(answer) for answer in answers), f"got intent {screen.intent}"
    assert screen.language == language
    # the model hesitates between the two topics: the other one is offered beside the answer
    assert all(more.text == tr(language, "suggestions.also") for more in offer)


async def test_a_sixteen_year_old_called_an_adult_learns_what_to_do(chat):
    screen = await chat("en", safe=True).last("I'm 16 but they say I'm an adult, what can I do?")
    assert screen.text.startswith(answer_text("en", "minors"))
    assert "juge des enfants" in screen.text
    assert payloads.rights_followup("minors.age") in [button.payload for button in screen.buttons]


async def through_the_safety_question(person, question: str, language: str):
    """A newcomer is first asked whether they can write safely; one tap, and the answer follows."""
    asked = await person.last(question)
    assert asked.text == tr(language, "safety.question")
    answered, *rest = await person.say(payloads.safety_answer("safe"))
    assert answered.text == tr(language, "safety.safe") and len(rest) == 1, "no Continue step"
    return rest[0]


async def test_tried_as_a_new_user_fear_of_removal(chat):
    screen = await through_the_safety_question(chat(), "si je vais à la police ils vont m'expulser ?", "fr")
    assert screen.language == "fr"
    assert screen.text.startswith(answer_text("fr", "complaint"))
    assert tr("fr", "rights.button.source") in [button.title for button in screen.buttons]


async def test_tried_as_a_new_user_unpaid_work(chat):
    screen = await through_the_safety_question(chat(), "I work 15 hours a day and they don't pay me", "en")
    assert screen.language == "en"
    assert screen.text.startswith(answer_text("en", "work"))
    assert len(screen.text) <= 700


async def test_buttons_lead_from_the_rights_menu_to_a_topic_and_its_source(chat):
    person = chat("fr", safe=True)
    menu = await person.last(payloads.RIGHTS)
    assert len(menu.buttons) == len(CONTENT.topics) + 1
    residence = await person.last(payload_titled(menu, tr("fr", "rights.residence.title")))
    assert residence.text.startswith(answer_text("fr", "residence"))
    source = await person.last(payload_titled(residence, tr("fr", "rights.button.source")))
    assert source.intent == "rights_source"
    assert "L.425-1" in source.text and CONTENT.topic("residence").reviewed.isoformat() in source.text
    back = await person.last(payload_titled(source, tr("fr", "rights.button.back_to_answer")))
    assert back.text.startswith(answer_text("fr", "residence"))


@pytest.mark.parametrize(
    ("language", "question", "follow_up", "expected"),
    [
        ("en", "can I get papers if I report my boss?", "and if I have no passport?", "residence.nodocs"),
        ("fr", "c'est quoi le délai de réflexion", "et si j'ai pas de passeport ?", "residence.nodocs"),
        ("fr", "mon patron me paie pas", "je dois aller où ?", "work.where"),
        ("en", "I need to see a doctor", "is it free?", "health.cost"),
    ],
)
async def test_a_free_follow_up_is_answered_within_the_topic(chat, language, question, follow_up, expected):
    person = chat(language, safe=True)
    await person.say(question)
    screen = await person.last(follow_up)
    assert screen.text.startswith(answer_text(language, expected)), f"got intent {screen.intent}"


async def test_a_follow_up_button_and_its_source(chat):
    person = chat("en", safe=True)
    work = await person.last(payloads.RIGHTS.replace("menu_rights", "rights_work"))
    follow_up = next(b for b in work.buttons if b.title == tr("en", "rights.work.nodocs.button"))
    screen = await person.last(follow_up.payload)
    assert screen.text.startswith(answer_text("en", "work.nodocs"))
    source = await person.last(payload_titled(screen, tr("en", "rights.button.source")))
    assert "L.8252-2" in source.text


async def test_a_follow_up_without_a_topic_asks_which_subject(chat):
    screen = await chat("en", safe=True).last("and is it free?")
    assert screen.text == tr("en", "rights.which_topic")
    assert len(screen.buttons) == len(CONTENT.topics) + 1
