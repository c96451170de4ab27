"""Self-screening through the trained model: adult and minor paths, stop, back, danger, quick exit."""

from __future__ import annotations

from actions.screening import payload
from core import payloads
from core.i18n import tr
from core.screening import load

ADULT = load().questions("adult")
MINOR = load().questions("minor")


def answer(value: str) -> str:
    return payload("screening_answer", answer=value)


def question_text(language: str, version: str, index: int) -> str:
    return tr(language, load().questions(version)[index].question_msgid)


async def start(person, version: str = "adult"):
    """From 'check my situation' to the first question."""
    age = await person.last(payloads.SCREENING)
    assert tr(person_language(person), "screening.text.age_question") in age.text
    return await person.last(payload("screening_age", age=version))


def person_language(person) -> str:
    return person.person.client_language


async def test_full_adult_path_informs_links_rights_and_leaves_no_answers(chat):
    person = chat("en", safe=True)
    first = await start(person)
    assert first.text.endswith(question_text("en", "adult", 0)) and first.protect
    chosen = {"documents": "yes", "threatened": "yes", "wages": "skip"}
    screens = []
    for question in ADULT:
        screens = await person.say(answer(chosen.get(question.id, "no")))
    text = "\n".join(screen.text for screen in screens)
    assert tr("en", "screening.text.result_intro") in text
    assert tr("en", "screening.adult.documents.finding") in text
    assert tr("en", "screening.adult.threatened.finding") in text
    assert tr("en", "screening.adult.wages.finding") not in text  # skipped is not a yes
    assert tr("en", "screening.text.result_danger") in text
    assert all(screen.protect and len(screen.text) <= 700 for screen in screens)
    links = [button.payload for button in screens[-1].buttons]
    assert "/rights_residence" in links and payloads.ASSOCIATION in links and payloads.EMERGENCY in links
    again = await person.last("/screening_resume")  # shown once: nothing remains to resume
    assert tr("en", "screening.text.age_question") in again.text


async def test_minor_path_has_its_own_questions_and_result(chat):
    person = chat("fr", safe=True)
    first = await start(person, "minor")
    assert first.text.endswith(question_text("fr", "minor", 0))
    for _ in MINOR:
        screens = await person.say(answer("no"))
    text = "\n".join(screen.text for screen in screens)
    assert tr("fr", "screening.text.result_none") in text
    assert tr("fr", "screening.text.result_minor") in text and "119" in text


async def test_back_pause_resume_and_stop_halfway(chat):
    person = chat("en", safe=True)
    await start(person)
    await person.say(answer("no"))
    second = await person.last(answer("yes"))
    assert second.text.endswith(question_text("en", "adult", 2))
    back = await person.last("/screening_back")
    assert back.text.endswith(question_text("en", "adult", 1))
    paused = await person.last("/screening_pause")
    assert paused.text == tr("en", "screening.text.paused")
    resumed = await person.last("/screening_resume")
    assert resumed.text.endswith(question_text("en", "adult", 1))
    stopped = await person.last("/screening_stop")
    assert stopped.text == tr("en", "screening.text.stopped")
    restarted = await person.last("/screening_resume")
    assert tr("en", "screening.text.age_question") in restarted.text  # the answers are gone


async def test_danger_interrupts_and_the_person_can_resume(chat):
    person = chat("fr", safe=True)
    await start(person)
    await person.say(answer("no"))
    await person.say(answer("no"))
    alarm = await person.last("il va me frapper")
    assert alarm.intent == "danger" and "112" in alarm.text
    assert alarm.buttons[0].payload == "/screening_resume"
    resumed = await person.last(alarm.buttons[0].payload)
    assert resumed.text.endswith(question_text("fr", "adult", 2))


async def test_quick_exit_in_the_middle_forgets_everything(chat):
    person = chat("en", safe=True)
    await start(person)
    await person.say(answer("yes"))
    assert await person.say("/exit") == [] and person.erased
    after = await person.last("/screening_resume")
    assert after.text == tr("en", "safety.question")  # a new conversation: even the safety answer is gone


async def test_free_text_starts_the_screening_after_the_safety_question(chat):
    person = chat("en")
    asked = await person.last("is my situation normal, am I being exploited?")
    assert asked.text == tr("en", "safety.question")
    intro = await person.last(payloads.safety_answer("safe"))  # one tap: the screening follows
    assert tr("en", "screening.text.age_question") in intro.text
