"""Self-screening: the safety question, the age, one question at a time, the result once."""

from __future__ import annotations

import pytest

from actions.screening import (
    ActionScreeningAge,
    ActionScreeningAnswer,
    ActionScreeningBack,
    ActionScreeningPause,
    ActionScreeningRestart,
    ActionScreeningResume,
    ActionScreeningStart,
    ActionScreeningStop,
    chunks,
    result_screens,
)
from core import payloads
from core.i18n import tr
from core.plain_language import problems
from core.screening import load
from tests.actions.turns import pressed, run_action, typed

SAFE = {"safety_checked": True, "language": "en"}
ADULT = load().questions("adult")
CLEARED = {"screening_version": None, "screening_answers": None}


def in_progress(answers: list[str], version: str = "adult") -> dict:
    return {**SAFE, "screening_version": version, "screening_answers": answers}


def progress(number: int, version: str = "adult") -> str:
    return tr("en", "screening.text.progress", number=number, total=len(load().questions(version)))


async def test_the_screening_asks_for_safety_first():
    outcome = await run_action(ActionScreeningStart(), pressed(payloads.SCREENING))
    assert outcome.screen.text == tr("fr", "safety.question")
    assert outcome.slots["pending_request"] == payloads.SCREENING


async def test_then_the_introduction_and_the_age_question():
    outcome = await run_action(ActionScreeningStart(), pressed(payloads.SCREENING, slots=SAFE))
    assert outcome.screen.text.endswith(tr("en", "screening.text.age_question"))
    assert outcome.payloads() == [
        payloads.screening_age("adult"),
        payloads.screening_age("minor"),
        payloads.screening_stop(),
        payloads.ERASE,
    ]
    assert outcome.screen.protect


async def test_a_screening_in_progress_is_offered_again():
    on = pressed(payloads.SCREENING, slots=in_progress(["yes"]))
    outcome = await run_action(ActionScreeningStart(), on)
    assert outcome.screen.text == tr("en", "screening.text.paused")
    assert outcome.payloads()[:3] == [
        payloads.screening_resume(),
        payloads.screening_restart(),
        payloads.screening_stop(),
    ]


@pytest.mark.parametrize("version", ["adult", "minor"])
async def test_the_age_chooses_the_version(version):
    outcome = await run_action(ActionScreeningAge(), pressed(payloads.screening_age(version), slots=SAFE))
    assert outcome.screen.text.startswith(progress(1, version))
    assert outcome.slots["screening_version"] == version and outcome.slots["screening_answers"] == []


async def test_an_unknown_age_asks_again():
    outcome = await run_action(ActionScreeningAge(), pressed(payloads.screening_age("old"), slots=SAFE))
    assert outcome.screen.text.endswith(tr("en", "screening.text.age_question"))
    assert set(outcome.slots) == {"language"}


async def test_an_answer_is_kept_and_the_next_question_asked():
    on = pressed(payloads.screening_answer("no"), slots=in_progress(["yes"]))
    outcome = await run_action(ActionScreeningAnswer(), on)
    assert outcome.screen.text == progress(3) + "\n" + tr("en", ADULT[2].question_msgid)
    assert outcome.payloads()[:3] == [payloads.screening_answer(a) for a in ("yes", "no", "skip")]
    assert outcome.slots["screening_answers"] == ["yes", "no"]


async def test_the_last_answer_shows_the_result_once_and_forgets_everything():
    on = pressed(payloads.screening_answer("no"), slots=in_progress(["yes"] + ["no"] * (len(ADULT) - 2)))
    outcome = await run_action(ActionScreeningAnswer(), on)
    assert outcome.screens[0].text.startswith(tr("en", "screening.text.result_intro"))
    assert tr("en", ADULT[0].finding_msgid) in outcome.screens[0].text
    assert all(screen.protect for screen in outcome.screens)
    assert payloads.ASSOCIATION in outcome.payloads()
    assert {key: outcome.slots[key] for key in CLEARED} == CLEARED


async def test_a_danger_finding_adds_the_emergency_numbers():
    danger = next(index for index, question in enumerate(ADULT) if question.danger)
    answers = ["no"] * len(ADULT)
    answers[danger] = "yes"
    on = pressed(payloads.screening_answer(answers[-1]), slots=in_progress(answers[:-1]))
    outcome = await run_action(ActionScreeningAnswer(), on)
    assert outcome.screens[-1].text == tr("en", "screening.text.result_danger")
    assert payloads.EMERGENCY in outcome.payloads()


async def test_an_answer_without_a_screening_goes_to_the_age_question():
    outcome = await run_action(ActionScreeningAnswer(), pressed(payloads.screening_answer("yes"), slots=SAFE))
    assert outcome.screen.text.endswith(tr("en", "screening.text.age_question"))
    assert set(outcome.slots) == {"language"}


async def test_back_forgets_the_last_answer():
    on = pressed(payloads.screening_back(), slots=in_progress(["yes", "no"]))
    outcome = await run_action(ActionScreeningBack(), on)
    assert outcome.screen.text.startswith(progress(2))
    assert outcome.slots["screening_answers"] == ["yes"]


async def test_back_from_the_first_question_is_the_age_question():
    on = pressed(payloads.screening_back(), slots=in_progress([]))
    outcome = await run_action(ActionScreeningBack(), on)
    assert outcome.screen.text.endswith(tr("en", "screening.text.age_question"))
    assert {key: outcome.slots[key] for key in CLEARED} == CLEARED


async def test_pause_keeps_the_answers_and_needs_no_safety_question():
    outcome = await run_action(ActionScreeningPause(), pressed(payloads.screening_pause()))
    assert outcome.screen.text == tr("fr", "screening.text.paused")
    assert outcome.payloads() == [
        payloads.screening_resume(),
        payloads.screening_stop(),
        payloads.ERASE,
        payloads.MENU,
    ]
    assert set(outcome.slots) == {"language"}


async def test_resume_asks_the_current_question():
    on = pressed(payloads.screening_resume(), slots=in_progress(["yes", "no", "skip"]))
    outcome = await run_action(ActionScreeningResume(), on)
    assert outcome.screen.text.startswith(progress(4))


async def test_stop_forgets_at_once_without_the_safety_question():
    on = typed("stop", "screening_stop", slots={"screening_answers": ["yes"]})
    outcome = await run_action(ActionScreeningStop(), on)
    assert outcome.screen.text == tr("fr", "screening.text.stopped")
    assert {key: outcome.slots[key] for key in CLEARED} == CLEARED


async def test_restart_forgets_and_asks_the_age_again():
    on = pressed(payloads.screening_restart(), slots=in_progress(["yes"]))
    outcome = await run_action(ActionScreeningRestart(), on)
    assert outcome.screen.text.endswith(tr("en", "screening.text.age_question"))
    assert {key: outcome.slots[key] for key in CLEARED} == CLEARED


def test_long_results_are_split_into_plain_screens():
    lines = [" ".join(["mot"] * 35)] * 3  # 35 words each: two would exceed 60 words
    assert chunks(lines, "fr") == lines
    assert chunks(["Un.", "Deux."], "fr") == ["Un.\nDeux."]
    assert chunks([], "fr") == []


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("version", ["adult", "minor"])
def test_a_result_with_every_answer_yes_stays_short_and_puts_danger_first(language, version):
    questions = load().questions(version)
    screens = result_screens(language, version, ["yes"] * len(questions))
    assert len(screens) <= 5, "the pipeline sends at most 6 screens a turn: keep room"
    assert all(not problems(screen.text, language) for screen in screens)
    findings = "\n".join(screen.text for screen in screens)
    assert tr(language, "screening.text.result_more") in findings
    first_danger = next(q for q in questions if q.danger)
    first_plain = next(q for q in questions if not q.danger)
    assert findings.index(tr(language, first_danger.finding_msgid)) < findings.index(
        tr(language, first_plain.finding_msgid)
    )
